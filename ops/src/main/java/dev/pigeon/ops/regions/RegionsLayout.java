package dev.pigeon.ops.regions;

import dev.pigeon.ops.config.PigeonConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Which nodes a {@link RegionsPlan} has, on which ports, and the {@code pigeon node} command line of
 * each: its region, its region's Redis and data centre, the other region's nodes as link peers. The
 * ports are fixed once, so a node started again is found where its peers expect it.
 */
final class RegionsLayout {
    private final RegionsPlan plan;
    private final TwoRegionServices services;
    private final Map<String, List<NodeEndpoints>> nodes;

    private RegionsLayout(RegionsPlan plan, TwoRegionServices services, Map<String, List<NodeEndpoints>> nodes) {
        this.plan = plan;
        this.services = services;
        this.nodes = nodes;
    }

    /**
     * Places the plan's nodes, picking free ports where the plan leaves them open.
     *
     * @throws IllegalStateException when a port the plan names is taken
     */
    static RegionsLayout of(RegionsPlan plan, TwoRegionServices services) {
        int count = 2 * plan.nodesPerRegion();
        List<Integer> ports = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            ports.addAll(ports(plan.basePort(), count, "public", held));
            ports.addAll(ports(plan.baseAdminPort(), count, "admin", held));
            ports.addAll(ports(plan.baseLinkPort(), count, "link", held));
        } finally {
            held.forEach(RegionsLayout::closeQuietly);
        }
        Map<String, List<NodeEndpoints>> nodes = new LinkedHashMap<>();
        for (int r = 0; r < 2; r++) {
            String region = plan.regions().get(r);
            List<NodeEndpoints> regionNodes = new ArrayList<>();
            for (int i = 0; i < plan.nodesPerRegion(); i++) {
                int n = r * plan.nodesPerRegion() + i;
                regionNodes.add(NodeEndpoints.onLoopback(region, region + "-" + (i + 1),
                        ports.get(n), ports.get(count + n), ports.get(2 * count + n)));
            }
            nodes.put(region, List.copyOf(regionNodes));
        }
        return new RegionsLayout(plan, services, nodes);
    }

    List<NodeEndpoints> nodes(String region) {
        List<NodeEndpoints> found = nodes.get(region);
        if (found == null) {
            throw new IllegalArgumentException("no region " + region + " here: " + plan.regions());
        }
        return found;
    }

    RegionServices services(String region) {
        nodes(region);
        return region.equals(plan.regions().get(0)) ? services.first() : services.second();
    }

    /**
     * The {@code pigeon node} arguments of {@code node}. The secrets are not among them: they travel in
     * {@link #secrets()}, out of sight of {@code ps}.
     */
    List<String> nodeArguments(NodeEndpoints node) {
        RegionServices own = services(node.region());
        String replication = services.both().stream().map(s -> s.datacenter() + ":1").collect(Collectors.joining(","));
        String datacenters = plan.regions().stream().map(r -> r + "=" + services(r).datacenter())
                .collect(Collectors.joining(","));
        String peers = plan.regions().stream().filter(r -> !r.equals(node.region()))
                .flatMap(r -> nodes(r).stream().map(peer -> r + "=" + peer.link()))
                .collect(Collectors.joining(","));
        List<String> arguments = new ArrayList<>(List.of("node",
                "--node-id", node.nodeId(), "--region", node.region(),
                "--port", String.valueOf(node.http().getPort()),
                "--admin-port", String.valueOf(node.admin().getPort()),
                "--link-port", String.valueOf(node.link().getPort()),
                "--redis", own.redisUrl(), "--redis-prefix", plan.redisPrefix(),
                "--cassandra", own.cassandra(), "--cassandra-datacenter", own.datacenter(),
                "--keyspace", plan.keyspace(), "--replication", replication,
                "--region-peers", peers, "--region-datacenters", datacenters));
        arguments.addAll(plan.nodeOptions());
        return arguments;
    }

    /** The secrets every node gets, as the environment variables that set them. */
    Map<String, String> secrets() {
        return Map.of(PigeonConfig.JWT_SECRET.envVar(), plan.jwtSecret(),
                PigeonConfig.ADMIN_TOKEN.envVar(), plan.adminToken(),
                PigeonConfig.LINK_SECRET.envVar(), plan.linkSecret());
    }

    /**
     * {@code count} ports from {@code base} on, each checked free, or free ones the system picks when
     * {@code base} is 0. The sockets stay open in {@code held} until every port is picked, so no port
     * is picked twice.
     */
    private static List<Integer> ports(int base, int count, String kind, List<ServerSocket> held) {
        return IntStream.range(0, count).mapToObj(i -> {
            int wanted = base == 0 ? 0 : base + i;
            try {
                ServerSocket socket = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                return socket.getLocalPort();
            } catch (IOException e) {
                if (wanted == 0) {
                    throw new UncheckedIOException("no free port", e);
                }
                throw new IllegalStateException(kind + " port " + wanted + " is taken by another program: pick other base ports");
            }
        }).toList();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a socket that would not close is released when this process ends
        }
    }
}
