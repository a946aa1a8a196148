package dev.pigeon.ops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The kinds of setting values Pigeon has. */
public final class ValueTypes {

    public static final ValueType<String> NON_EMPTY_TEXT = of("<text>", s -> {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }, s -> s);

    public static final ValueType<Path> PATH = of("<path>", Path::of, Path::toString);

    /** A TCP port; 0 lets the system pick a free one. */
    public static final ValueType<Integer> PORT = of("<port>", s -> {
        int port = parseInt(s);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("'" + s + "' is not a port: write 0 to 65535");
        }
        return port;
    }, String::valueOf);

    public static final ValueType<Integer> POSITIVE_INT = of("<n>", s -> {
        int n = parseInt(s);
        if (n < 1) {
            throw new IllegalArgumentException("'" + s + "' must be at least 1");
        }
        return n;
    }, String::valueOf);

    public static final ValueType<Duration> POSITIVE_DURATION = of("<duration>", s -> {
        Duration d = Durations.parse(s);
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + s + "' must be longer than 0");
        }
        return d;
    }, Durations::format);

    public static final ValueType<Integer> SIZE = of("<size>", s -> {
        int bytes = Sizes.parse(s);
        if (bytes < 1) {
            throw new IllegalArgumentException("'" + s + "' must be at least 1 byte");
        }
        return bytes;
    }, Sizes::format);

    /** A comma-separated list; blanks around items are dropped, an empty text is an empty list. */
    public static final ValueType<List<String>> LIST = of("<a,b,...>",
            s -> Arrays.stream(s.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList(),
            list -> String.join(",", list));

    /** A Redis server as Redisson names it: {@code redis://host:port} ({@code rediss://} for TLS). */
    public static final ValueType<String> REDIS_URL = of("<redis://host:port>", s -> {
        if (!s.trim().matches("rediss?://[^\\s/:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("'" + s + "' is not a Redis URL: write redis://host:port");
        }
        return s.trim();
    }, s -> s);

    /** A server address, {@code host:port}. */
    public static final ValueType<String> HOST_PORT = of("<host:port>", s -> {
        if (!s.trim().matches("[^\\s/:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("'" + s + "' is not an address: write host:port");
        }
        return s.trim();
    }, s -> s);

    /** A region's name: letters, digits, '_' and '-' (it appears in URLs, keys and metrics labels). */
    public static final ValueType<String> REGION_NAME = of("<name>", s -> regionName(s.trim()), s -> s);

    /**
     * Where other regions' nodes are reached: {@code region=url} entries, a region repeated for each of
     * its nodes, in the order they are tried. Each URL is {@code http(s)://host[:port]}.
     */
    public static final ValueType<Map<String, List<URI>>> REGION_URLS = of("<region=url,...>", s -> {
        Map<String, List<URI>> urls = new LinkedHashMap<>();
        Map<URI, String> regionOfUrl = new HashMap<>();
        for (Map.Entry<String, String> entry : entries(s, '=', "region=url")) {
            String region = regionName(entry.getKey());
            URI url = baseUrl(entry.getValue());
            String other = regionOfUrl.putIfAbsent(url, region);
            if (other != null) {
                throw new IllegalArgumentException(url + " is named twice" + (other.equals(region) ? "" : " (in " + other
                        + " and " + region + ")"));
            }
            urls.computeIfAbsent(region, r -> new ArrayList<>()).add(url);
        }
        Map<String, List<URI>> copy = new LinkedHashMap<>();
        urls.forEach((region, list) -> copy.put(region, List.copyOf(list)));
        return Collections.unmodifiableMap(copy);
    }, urls -> urls.entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(url -> e.getKey() + "=" + url))
            .collect(Collectors.joining(",")));

    /** The Cassandra data centre of each region: {@code region=datacenter} entries, one data centre per region. */
    public static final ValueType<Map<String, String>> REGION_DATACENTERS = of("<region=datacenter,...>", s -> {
        Map<String, String> datacenters = new LinkedHashMap<>();
        Map<String, String> regionOfDatacenter = new HashMap<>();
        for (Map.Entry<String, String> entry : entries(s, '=', "region=datacenter")) {
            String region = regionName(entry.getKey());
            String datacenter = datacenterName(entry.getValue());
            if (datacenters.putIfAbsent(region, datacenter) != null) {
                throw new IllegalArgumentException("region " + region + " is named twice");
            }
            String other = regionOfDatacenter.putIfAbsent(datacenter, region);
            if (other != null) {
                throw new IllegalArgumentException("regions " + other + " and " + region + " share data centre "
                        + datacenter + ": each region is its own data centre");
            }
        }
        return Collections.unmodifiableMap(datacenters);
    }, datacenters -> joined(datacenters, "="));

    /** Copies of every row per Cassandra data centre: {@code datacenter:copies} entries. */
    public static final ValueType<Map<String, Integer>> DATACENTER_COPIES = of("<datacenter:copies,...>", s -> {
        Map<String, Integer> copies = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries(s, ':', "datacenter:copies")) {
            String datacenter = datacenterName(entry.getKey());
            int n = parseInt(entry.getValue());
            if (n < 1) {
                throw new IllegalArgumentException("data centre " + datacenter + " needs at least 1 copy, not " + n);
            }
            if (copies.putIfAbsent(datacenter, n) != null) {
                throw new IllegalArgumentException("data centre " + datacenter + " is named twice");
            }
        }
        return Collections.unmodifiableMap(copies);
    }, copies -> joined(copies, ":"));

    public static final ValueType<Boolean> BOOLEAN = of("<true|false>", s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new IllegalArgumentException("'" + s + "' is not a boolean: write true or false");
    }, String::valueOf);

    private ValueTypes() {
    }

    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    /** As Cassandra's NetworkTopologyStrategy options take them (see storage's Replication). */
    private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private static String regionName(String s) {
        if (!REGION.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a region name: letters, digits, '_' and '-', "
                    + "at most 63, starting with a letter or digit");
        }
        return s;
    }

    private static String datacenterName(String s) {
        if (!DATACENTER.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a data centre name: letters, digits, '_', '.' and '-'");
        }
        return s;
    }

    /** A node's base URL: http or https, a host, an optional port, nothing after it. */
    private static URI baseUrl(String s) {
        URI url;
        try {
            url = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + s + "' is not a URL: write http://host:port");
        }
        boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
        boolean bare = url.getRawUserInfo() == null && url.getRawQuery() == null && url.getRawFragment() == null
                && (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"));
        if (!web || url.getHost() == null || !bare) {
            throw new IllegalArgumentException("'" + s + "' is not a node's URL: write http://host:port");
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority());
    }

    /**
     * The {@code key<separator>value} entries of a comma-separated list, blanks around them dropped.
     * An empty text is no entries.
     */
    private static List<Map.Entry<String, String>> entries(String text, char separator, String form) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (String item : LIST.parse(text)) {
            int at = item.indexOf(separator);
            if (at <= 0 || at == item.length() - 1) {
                throw new IllegalArgumentException("'" + item + "' is not " + form);
            }
            entries.add(Map.entry(item.substring(0, at).trim(), item.substring(at + 1).trim()));
        }
        return entries;
    }

    private static String joined(Map<String, ?> map, String separator) {
        return map.entrySet().stream().map(e -> e.getKey() + separator + e.getValue()).collect(Collectors.joining(","));
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
    }

    private static <T> ValueType<T> of(String label, Function<String, T> parser, Function<T, String> formatter) {
        return new ValueType<>() {
            @Override
            public T parse(String text) {
                return parser.apply(text);
            }

            @Override
            public String format(T value) {
                return formatter.apply(value);
            }

            @Override
            public String label() {
                return label;
            }
        };
    }
}
