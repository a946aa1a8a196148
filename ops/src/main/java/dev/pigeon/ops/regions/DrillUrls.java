package dev.pigeon.ops.regions;

import java.net.URI;

/** The URLs the drill asks a node at, from its {@link NodeEndpoints}. */
final class DrillUrls {

    private DrillUrls() {
    }

    /** The node's WebSocket endpoint resuming after inbox position {@code since}. */
    static URI wsSince(NodeEndpoints node, long since) {
        String url = node.ws().toString();
        return URI.create(url + (url.contains("?") ? "&" : "?") + "since=" + since);
    }

    /** {@code path} (starting with {@code /}) under the node's public HTTP base. */
    static URI http(NodeEndpoints node, String path) {
        return under(node.http(), path);
    }

    /** {@code path} (starting with {@code /}) under the node's admin base. */
    static URI admin(NodeEndpoints node, String path) {
        return under(node.admin(), path);
    }

    private static URI under(URI base, String path) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
    }
}
