package dev.pigeon.ops.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

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

    public static final ValueType<Boolean> BOOLEAN = of("<true|false>", s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new IllegalArgumentException("'" + s + "' is not a boolean: write true or false");
    }, String::valueOf);

    private ValueTypes() {
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
