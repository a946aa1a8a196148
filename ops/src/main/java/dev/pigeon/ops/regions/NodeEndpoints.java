package dev.pigeon.ops.regions;

import java.net.URI;

/**
 * Where one node of a local region deployment answers.
 *
 * @param region the node's region
 * @param nodeId the node's id, as hello frames and presence show it
 * @param ws     the WebSocket endpoint; a client adds {@code ?token=...}
 * @param http   the public port's base URL (HTTP API, SSE, long-poll, {@code /readyz})
 * @param admin  the admin port's base URL ({@code /admin/...}, {@code /metrics})
 * @param link   the region link's base URL, which the other region's nodes call
 */
public record NodeEndpoints(String region, String nodeId, URI ws, URI http, URI admin, URI link) {

    static NodeEndpoints onLoopback(String region, String nodeId, int port, int adminPort, int linkPort) {
        return new NodeEndpoints(region, nodeId, URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                URI.create("http://127.0.0.1:" + port), URI.create("http://127.0.0.1:" + adminPort),
                URI.create("http://127.0.0.1:" + linkPort));
    }
}
