package dev.pigeon.ops.regions;

import dev.pigeon.ops.PigeonCli;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.storage.cassandra.Replication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionsLayoutTest {

    @TempDir
    Path dir;

    private RegionsLayout layout(RegionsPlan.Builder plan) {
        return RegionsLayout.of(plan.build(), TwoRegionServicesTest.servicesIn(dir));
    }

    @Test
    void eachRegionHasItsNodesInOrderOnPortsOfTheirOwn() {
        RegionsLayout layout = layout(RegionsPlan.builder(dir).nodesPerRegion(3));

        assertThat(layout.nodes("eu")).extracting(NodeEndpoints::nodeId).containsExactly("eu-1", "eu-2", "eu-3");
        assertThat(layout.nodes("us")).extracting(NodeEndpoints::nodeId).containsExactly("us-1", "us-2", "us-3");
        List<NodeEndpoints> all = Stream.concat(layout.nodes("eu").stream(), layout.nodes("us").stream()).toList();
        assertThat(all).allSatisfy(node -> {
            assertThat(node.ws()).isEqualTo(URI.create("ws://127.0.0.1:" + node.http().getPort() + "/v1/ws"));
            assertThat(node.http().getHost()).isEqualTo("127.0.0.1");
        });
        assertThat(all.stream().flatMap(node -> Stream.of(node.http(), node.admin(), node.link())).map(URI::getPort))
                .hasSize(18).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isPositive());
        assertThatThrownBy(() -> layout.nodes("ap")).hasMessage("no region ap here: [eu, us]");
    }

    @Test
    void fixedPortsFollowTheBaseFirstRegionFirst() throws IOException {
        int base = freeRangeStart(4);
        RegionsLayout layout = layout(RegionsPlan.builder(dir).basePorts(base, 0, 0));

        assertThat(Stream.concat(layout.nodes("eu").stream(), layout.nodes("us").stream()).map(n -> n.http().getPort()))
                .containsExactly(base, base + 1, base + 2, base + 3);
    }

    @Test
    void aTakenPortIsNamedBeforeAnythingStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> layout(RegionsPlan.builder(dir).basePorts(0, 0, port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("link port " + port + " is taken by another program: pick other base ports");
        }
    }

    @Test
    void aNodeRunsInItsRegionsServicesAndKnowsTheOtherRegionsNodesAsPeers() {
        RegionsPlan plan = RegionsPlan.builder(dir).keyspace("pigeon_regions").redisPrefix("regions")
                .nodeOptions("--presence-heartbeat", "1s").build();
        RegionsLayout layout = RegionsLayout.of(plan, TwoRegionServicesTest.servicesIn(dir));
        NodeEndpoints eu2 = layout.nodes("eu").get(1);
        List<NodeEndpoints> us = layout.nodes("us");

        PigeonConfig config = nodeConfig(layout, eu2);

        assertThat(config.get(PigeonConfig.NODE_ID)).isEqualTo("eu-2");
        assertThat(config.get(PigeonConfig.REGION)).isEqualTo("eu");
        assertThat(config.gateway().port()).isEqualTo(eu2.http().getPort());
        assertThat(config.gateway().adminPort()).isEqualTo(eu2.admin().getPort());
        assertThat(config.linkPort()).isEqualTo(eu2.link().getPort());
        assertThat(config.linkSecret()).isEqualTo(plan.linkSecret());
        assertThat(config.regionPeers()).containsExactly(Map.entry("us", List.of(us.get(0).link(), us.get(1).link())));
        assertThat(config.regionDatacenters()).containsExactly(Map.entry("eu", "dc1"), Map.entry("us", "dc2"));
        assertThat(config.get(PigeonConfig.REDIS)).isEqualTo("redis://127.0.0.1:6392");
        assertThat(config.get(PigeonConfig.REDIS_PREFIX)).isEqualTo("regions");
        assertThat(config.get(PigeonConfig.PRESENCE_HEARTBEAT)).hasSeconds(1);
        assertThat(config.cassandraOptions().contactPoints()).extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("127.0.0.3:9042");
        assertThat(config.cassandraOptions().localDatacenter()).isEqualTo("dc1");
        assertThat(config.cassandraOptions().keyspace()).isEqualTo("pigeon_regions");
        assertThat(config.cassandraOptions().replication())
                .isEqualTo(Replication.networkTopology(Map.of("dc1", 1, "dc2", 1)));
        assertThat(config.gateway().jwtSecret()).isEqualTo(plan.jwtSecret());
        assertThat(config.gateway().adminToken()).isEqualTo(plan.adminToken());
    }

    @Test
    void theSecondRegionsNodesUseTheSecondServices() {
        RegionsLayout layout = layout(RegionsPlan.builder(dir).regions(List.of("north", "south")));
        NodeEndpoints south1 = layout.nodes("south").get(0);

        PigeonConfig config = nodeConfig(layout, south1);

        assertThat(config.get(PigeonConfig.REGION)).isEqualTo("south");
        assertThat(config.get(PigeonConfig.REDIS)).isEqualTo("redis://127.0.0.1:6393");
        assertThat(config.cassandraOptions().localDatacenter()).isEqualTo("dc2");
        assertThat(config.regionPeers()).containsOnlyKeys("north");
        assertThat(config.regionPeers().get("north"))
                .containsExactlyElementsOf(layout.nodes("north").stream().map(NodeEndpoints::link).toList());
        assertThat(config.regionDatacenters()).containsExactly(Map.entry("north", "dc1"), Map.entry("south", "dc2"));
    }

    @Test
    void theSecretsTravelInTheEnvironmentNotOnTheCommandLine() {
        RegionsPlan plan = RegionsPlan.builder(dir).jwtSecret("jwt-s3cret").adminToken("adm1n").build();
        RegionsLayout layout = RegionsLayout.of(plan, TwoRegionServicesTest.servicesIn(dir));

        assertThat(layout.nodeArguments(layout.nodes("us").get(0)))
                .doesNotContain("jwt-s3cret", "adm1n", plan.linkSecret());
        assertThat(layout.secrets()).isEqualTo(Map.of("PIGEON_JWT_SECRET", "jwt-s3cret",
                "PIGEON_ADMIN_TOKEN", "adm1n", "PIGEON_LINK_SECRET", plan.linkSecret()));
    }

    /** What {@code pigeon node} makes of the node's arguments and secrets, through its own command line. */
    private static PigeonConfig nodeConfig(RegionsLayout layout, NodeEndpoints node) {
        List<String> arguments = layout.nodeArguments(node);
        assertThat(arguments.get(0)).isEqualTo("node");
        PigeonCli.commandLine(layout.secrets()).parseArgs(arguments.toArray(String[]::new));
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < arguments.size(); i += 2) {
            options.put(arguments.get(i).substring(2), arguments.get(i + 1));
        }
        return PigeonConfig.resolve(options, layout.secrets());
    }

    /** The first of {@code count} consecutive loopback ports that are free now. */
    private static int freeRangeStart(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int start;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                start = probe.getLocalPort();
            }
            if (start + count - 1 <= 65_535 && allFree(start, count)) {
                return start;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean allFree(int start, int count) {
        for (int port = start; port < start + count; port++) {
            try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                // free
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
