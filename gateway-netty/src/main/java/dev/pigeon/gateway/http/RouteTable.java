package dev.pigeon.gateway.http;

import dev.pigeon.protocol.ProtocolException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a method and a path to an endpoint. Patterns are literal segments and {@code {name}}
 * segments, each matching one non-empty path segment (percent-decoded). Immutable.
 */
public final class RouteTable {
    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a request matched. */
    public sealed interface Match {
    }

    /** A route for the method and path; {@code params} holds the path's {@code {name}} segments. */
    public record Found(String pattern, Endpoint endpoint, Map<String, String> params) implements Match {
    }

    /** The path matched routes, but none for this method. */
    public record MethodNotAllowed(String pattern, Set<HttpMethod> allowed) implements Match {
    }

    public record NotFound() implements Match {
    }

    /** Matches a request; a path that is not validly percent-encoded is {@code bad_request}. */
    public Match match(HttpMethod method, String path) {
        String[] segments = segmentsOf(path);
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        String pattern = null;
        for (Route route : routes) {
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            if (route.method.equals(method)) {
                return new Found(route.pattern, route.endpoint, params);
            }
            allowed.add(route.method);
            pattern = route.pattern;
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(pattern, allowed);
    }

    /** The route pattern a path falls under, for metrics; {@code unmatched} when none. */
    public String patternOf(String path) {
        String[] segments;
        try {
            segments = segmentsOf(path);
        } catch (ProtocolException e) {
            return "unmatched";
        }
        for (Route route : routes) {
            if (route.match(segments) != null) {
                return route.pattern;
            }
        }
        return "unmatched";
    }

    private static String[] segmentsOf(String path) {
        if (path.equals("/")) {
            return new String[0];
        }
        String[] raw = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
        try {
            for (int i = 0; i < raw.length; i++) {
                raw[i] = QueryStringDecoder.decodeComponent(raw[i], StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            throw ProtocolException.badRequest("the path is not validly percent-encoded");
        }
        return raw;
    }

    private record Route(HttpMethod method, String pattern, String[] segments, Endpoint endpoint) {
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{")) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    params.put(segment.substring(1, segment.length() - 1), path[i]);
                } else if (!segment.equals(path[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        public Builder route(HttpMethod method, String pattern, Endpoint endpoint) {
            String[] segments = pattern.equals("/") ? new String[0] : pattern.substring(1).split("/", -1);
            routes.add(new Route(method, pattern, segments, endpoint));
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
