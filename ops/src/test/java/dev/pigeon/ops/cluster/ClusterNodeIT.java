package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
import dev.pigeon.ops.config.PigeonConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two cluster nodes in this JVM on the Redis named by {@code PIGEON_TEST_REDIS} and the Cassandra
 * named by {@code PIGEON_TEST_CASSANDRA} (both set by ops/bin/test), with a keyspace and a Redis
 * prefix of their own.
 */
class ClusterNodeIT {
    private static final NodeClient client = new NodeClient("cluster-node-it-secret", "cluster-node-it-admin");
    private static final Duration WAIT = NodeClient.WAIT;

    private static TestServices services;
    private static String nodeA;
    private static String nodeB;
    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void startTwoNodes() {
        services = TestServices.forOneTestClass();
        nodeA = "it-a-" + services.run();
        nodeB = "it-b-" + services.run();
        a = ClusterNode.start(client.config(services, nodeA));
        b = ClusterNode.start(client.config(services, nodeB));
    }

    @AfterAll
    static void stopAndCleanUp() {
        if (b != null) {
            b.stop();
        }
        if (a != null) {
            a.stop();
        }
        if (services != null) {
            services.cleanUp();
        }
    }

    @Test
    void bothNodesAreReady() throws Exception {
        assertThat(client.get(a.port(), "/readyz", null).statusCode()).isEqualTo(200);
        assertThat(client.get(b.port(), "/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMessageSentOnOneNodeReachesASessionOnTheOther() throws Exception {
        Frames bobsFrames = new Frames();
        WebSocket bob = client.connect(b.port(), client.token("bob"), bobsFrames);
        try {
            JsonNode hello = bobsFrames.next();
            assertThat(hello.get("type").asText()).isEqualTo("hello");
            assertThat(hello.get("node").asText()).isEqualTo(nodeB);

            String id = "m-" + UUID.randomUUID();
            JsonNode sent = client.send(a.port(), client.token("alice"),
                    Map.of("type", "send", "id", id, "to", "bob", "body", "across the cluster"));
            assertThat(sent.get("type").asText()).isEqualTo("sent");

            JsonNode msg = bobsFrames.next();
            assertThat(msg.get("type").asText()).isEqualTo("msg");
            assertThat(msg.get("id").asText()).isEqualTo(id);
            assertThat(msg.get("from").asText()).isEqualTo("alice");
            assertThat(msg.get("conversation").asText()).isEqualTo("dm:alice:bob");
            assertThat(msg.get("body").asText()).isEqualTo("across the cluster");
            assertThat(msg.get("conv_seq").asLong()).isEqualTo(sent.get("conv_seq").asLong());
        } finally {
            bob.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    @Test
    void adminStatsOnEitherNodeCountTheSessionsOfBoth() throws Exception {
        WebSocket carol = client.connect(a.port(), client.token("carol"), new Frames());
        WebSocket dave = client.connect(b.port(), client.token("dave"), new Frames());
        try {
            for (ClusterNode node : List.of(a, b)) {
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode stats = client.stats(node.adminPort());
                    assertThat(stats.get("by_node").get(nodeA).asInt()).isEqualTo(1);
                    assertThat(stats.get("by_node").get(nodeB).asInt()).isEqualTo(1);
                    assertThat(stats.get("sessions").asInt()).isEqualTo(2);
                    assertThat(stats.get("online_users").asInt()).isEqualTo(2);
                });
            }
        } finally {
            carol.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            dave.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    @Test
    void aNodeWhoseRedisDoesNotAnswerRefusesToStart() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> options = client.options(services, "it-c-" + services.run());
        options.put("redis", "redis://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> ClusterNode.start(PigeonConfig.resolve(options, Map.of())))
                .isInstanceOf(RuntimeException.class)
                .hasStackTraceContaining(String.valueOf(closedPort));
    }
}
