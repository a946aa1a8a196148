package dev.pigeon.ops.load;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/** The WebSocket endpoints a run connects to: one gateway, or several nodes of one cluster. */
final class GatewayUrls {
    private GatewayUrls() {
    }

    /** Checks that {@code urls} are plain {@code ws://} endpoints, at least one, none twice; returns an immutable copy. */
    static List<URI> require(List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("give at least one gateway URL");
        }
        Set<URI> seen = new HashSet<>();
        for (URI url : urls) {
            if (!"ws".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("the load generator speaks plain ws:// to a host, not " + url);
            }
            if (!seen.add(url.normalize())) {
                throw new IllegalArgumentException(url + " is listed twice: give each node once");
            }
        }
        return List.copyOf(urls);
    }

    /** {@code "334 sessions on ws://a/v1/ws, 333 on ws://b/v1/ws"}: {@code counts[i]} belong to {@code urls[i]}. */
    static String spread(List<URI> urls, int[] counts, String unit) {
        StringJoiner out = new StringJoiner(", ");
        for (int i = 0; i < urls.size(); i++) {
            out.add(counts[i] + (i == 0 ? " " + unit : "") + " on " + urls.get(i));
        }
        return out.toString();
    }
}
