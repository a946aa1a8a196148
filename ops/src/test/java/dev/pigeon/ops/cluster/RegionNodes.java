package dev.pigeon.ops.cluster;

import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.regions.RegionsPlan;
import dev.pigeon.ops.regions.TestRegions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * In-JVM nodes of the two test regions (eu and us, {@link TestRegions}) sharing one keyspace of
 * their own, replicated to both data centres: each node has its region's Redis and data centre,
 * and a link port fixed for its place, so that a node stopped and started again is found by the
 * other region at the same address.
 */
final class RegionNodes implements AutoCloseable {
    static final String EU = TestRegions.NAMES.get(0);
    static final String US = TestRegions.NAMES.get(1);
    private static final String LINK_SECRET = "region-it-link-secret";

    final NodeClient client;
    private final TestRegions regions;
    private final RegionsPlan plan;
    private final Map<String, List<Integer>> linkPorts = new HashMap<>();
    private final Map<String, ClusterNode> running = new HashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();

    RegionNodes(String name, int nodesPerRegion) {
        this.client = new NodeClient(name + "-jwt-secret", name + "-admin-token");
        this.regions = TestRegions.fromEnvironment();
        this.plan = regions.plan(Path.of(System.getProperty("java.io.tmpdir"))).build();
        for (String region : TestRegions.NAMES) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < nodesPerRegion; i++) {
                ports.add(freePort());
            }
            linkPorts.put(region, ports);
        }
    }

    TestRegions regions() {
        return regions;
    }

    /** Starts node {@code index} of {@code region} (0-based); it serves once this returns. */
    ClusterNode start(String region, int index) {
        ClusterNode node = ClusterNode.start(config(region, index));
        running.put(key(region, index), node);
        return node;
    }

    ClusterNode node(String region, int index) {
        ClusterNode node = running.get(key(region, index));
        if (node == null) {
            throw new IllegalStateException(key(region, index) + " is not running");
        }
        return node;
    }

    /** Stops the node as a process end would, without draining it first being any different. */
    void stop(String region, int index) {
        ClusterNode node = running.remove(key(region, index));
        if (node != null) {
            node.stop();
        }
    }

    /** Remembers a socket to abort at the end. */
    WebSocket keep(WebSocket socket) {
        sockets.add(socket);
        return socket;
    }

    private PigeonConfig config(String region, int index) {
        String other = region.equals(EU) ? US : EU;
        Map<String, String> options = new HashMap<>();
        options.put("node-id", key(region, index) + "-" + plan.redisPrefix());
        options.put("region", region);
        options.put("port", "0");
        options.put("admin-port", "0");
        options.put("link-port", Integer.toString(linkPorts.get(region).get(index)));
        options.put("link-secret", LINK_SECRET);
        options.put("region-peers", linkPorts.get(other).stream()
                .map(port -> other + "=http://127.0.0.1:" + port).collect(Collectors.joining(",")));
        options.put("region-datacenters", regions.datacenters().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(",")));
        options.put("redis", regions.redisUrl(region));
        options.put("redis-prefix", plan.redisPrefix());
        options.put("cassandra", regions.cassandra(region));
        options.put("cassandra-datacenter", regions.datacenter(region));
        options.put("keyspace", plan.keyspace());
        options.put("replication", regions.datacenters().values().stream().sorted()
                .map(datacenter -> datacenter + ":1").collect(Collectors.joining(",")));
        options.put("jwt-secret", client.jwtSecret());
        options.put("admin-token", client.adminToken());
        options.putAll(NodeClient.UNLIMITED_SENDS);
        return PigeonConfig.resolve(options, Map.of());
    }

    private static String key(String region, int index) {
        return region + "-" + index;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Aborts the sockets, stops every node, drops the keyspace and the Redis keys. */
    @Override
    public void close() {
        sockets.forEach(WebSocket::abort);
        List.copyOf(running.keySet()).forEach(key -> running.remove(key).stop());
        regions.cleanUp(plan);
    }
}
