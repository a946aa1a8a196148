package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.regions.RegionsPlan;
import dev.pigeon.ops.regions.TestRegions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JUnit extension of in-JVM nodes of the two test regions (eu and us, {@link TestRegions})
 * sharing one keyspace of their own, replicated to both data centres: each node has its region's
 * Redis and data centre, and a link port fixed for its place, so that a node stopped and started
 * again is found by the other region at the same address. Before all tests of a class it starts
 * node 0 of each region (the class is skipped when no second data centre runs); after them it
 * starts again whatever data centre or Redis a test stopped, stops every node and removes the
 * keyspace and Redis keys.
 */
final class RegionNodes implements BeforeAllCallback, AfterAllCallback {
    static final String EU = TestRegions.NAMES.get(0);
    static final String US = TestRegions.NAMES.get(1);
    private static final String LINK_SECRET = "region-it-link-secret";
    private static final Duration OPEN_PATIENCE = Duration.ofSeconds(60);

    final NodeClient client;
    private final int nodesPerRegion;
    private TestRegions regions;
    private RegionsPlan plan;
    private final Map<String, List<Integer>> linkPorts = new HashMap<>();
    private final Map<String, ClusterNode> running = new HashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final Set<String> stoppedDatacenters = new TreeSet<>();
    private final Set<String> stoppedRedis = new TreeSet<>();

    RegionNodes(String name, int nodesPerRegion) {
        this.client = new NodeClient(name + "-jwt-secret", name + "-admin-token");
        this.nodesPerRegion = nodesPerRegion;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue(TestRegions.available(), "region tests need two data centres (ops/bin/services up --regions)");
        regions = TestRegions.fromEnvironment();
        plan = regions.plan(Path.of(System.getProperty("java.io.tmpdir"))).build();
        for (String region : TestRegions.NAMES) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < nodesPerRegion; i++) {
                ports.add(freePort());
            }
            linkPorts.put(region, ports);
        }
        // one region first: both creating the schema of an empty keyspace at once can clash
        start(EU, 0);
        start(US, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (regions == null) {
            return;
        }
        sockets.forEach(WebSocket::abort);
        List.copyOf(running.keySet()).forEach(key -> running.remove(key).stop());
        List.copyOf(stoppedDatacenters).forEach(this::startDatacenter);
        List.copyOf(stoppedRedis).forEach(this::startRedis);
        regions.cleanUp(plan);
    }

    /** Stops the region's Cassandra node; started again at the end if the test does not. */
    void stopDatacenter(String region) {
        stoppedDatacenters.add(region);
        regions.stopDatacenter(region);
    }

    void startDatacenter(String region) {
        regions.startDatacenter(region);
        stoppedDatacenters.remove(region);
    }

    /** Stops the region's Redis; started again (empty) at the end if the test does not. */
    void stopRedis(String region) {
        stoppedRedis.add(region);
        regions.stopRedis(region);
    }

    void startRedis(String region) {
        regions.startRedis(region);
        stoppedRedis.remove(region);
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

    /** A WebSocket session of a user and the {@code hello} that opened it. */
    record Session(Frames frames, JsonNode hello) {
    }

    /**
     * Opens a WebSocket session of {@code user} on the node at {@code port} as a client does: one
     * refused with {@code unavailable} (storage still coming back after a data centre restarted)
     * is opened again. Aborted at the end.
     */
    Session connect(int port, String user) {
        AtomicReference<Session> opened = new AtomicReference<>();
        await(user + "'s session on " + port).atMost(OPEN_PATIENCE).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    Frames frames = new Frames();
                    WebSocket socket = client.connect(port, client.token(user), frames);
                    JsonNode first = frames.next();
                    if (!first.get("type").asText().equals("hello")) {
                        assertThat(first.path("code").asText()).as("%s's first frame: %s", user, first)
                                .isEqualTo("unavailable");
                        socket.abort();
                        return false;
                    }
                    sockets.add(socket);
                    opened.set(new Session(frames, first));
                    return true;
                });
        return opened.get();
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
}
