package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pigeon.ops.config.PigeonConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two cluster nodes in this JVM on the Redis named by {@code PIGEON_TEST_REDIS} and the Cassandra
 * named by {@code PIGEON_TEST_CASSANDRA} (both set by ops/bin/test), with a keyspace and a Redis
 * prefix of their own.
 */
class ClusterNodeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_SECRET = "cluster-node-it-secret";
    private static final String ADMIN_TOKEN = "cluster-node-it-admin";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestServices services;
    private static String nodeA;
    private static String nodeB;
    private static ClusterNode a;
    private static ClusterNode b;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DemoTokens tokens = new DemoTokens(JWT_SECRET, Duration.ofHours(1), Clock.systemUTC());

    @BeforeAll
    static void startTwoNodes() {
        services = TestServices.forOneTestClass();
        nodeA = "it-a-" + services.run();
        nodeB = "it-b-" + services.run();
        a = ClusterNode.start(config(nodeA));
        b = ClusterNode.start(config(nodeB));
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
        assertThat(get(a.port(), "/readyz", null).statusCode()).isEqualTo(200);
        assertThat(get(b.port(), "/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMessageSentOnOneNodeReachesASessionOnTheOther() throws Exception {
        Frames bobsFrames = new Frames();
        WebSocket bob = connect(b.port(), tokens.mint("bob"), bobsFrames);
        try {
            JsonNode hello = bobsFrames.next();
            assertThat(hello.get("type").asText()).isEqualTo("hello");
            assertThat(hello.get("node").asText()).isEqualTo(nodeB);

            String id = "m-" + UUID.randomUUID();
            JsonNode sent = send(a.port(), tokens.mint("alice"), id, "bob", "across the cluster");
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
        WebSocket carol = connect(a.port(), tokens.mint("carol"), new Frames());
        WebSocket dave = connect(b.port(), tokens.mint("dave"), new Frames());
        try {
            for (ClusterNode node : List.of(a, b)) {
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode stats = stats(node.adminPort());
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
        Map<String, String> options = options("it-c-" + services.run());
        options.put("redis", "redis://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> ClusterNode.start(PigeonConfig.resolve(options, Map.of())))
                .isInstanceOf(RuntimeException.class)
                .hasStackTraceContaining(String.valueOf(closedPort));
    }

    private static PigeonConfig config(String nodeId) {
        return PigeonConfig.resolve(options(nodeId), Map.of());
    }

    private static Map<String, String> options(String nodeId) {
        Map<String, String> options = new HashMap<>();
        options.put("node-id", nodeId);
        options.put("port", "0");
        options.put("admin-port", "0");
        options.put("redis", services.redisUrl());
        options.put("redis-prefix", services.redisPrefix());
        options.put("cassandra", services.cassandra());
        options.put("keyspace", services.keyspace());
        options.put("jwt-secret", JWT_SECRET);
        options.put("admin-token", ADMIN_TOKEN);
        return options;
    }

    private WebSocket connect(int port, String token, Frames frames) {
        return http.newWebSocketBuilder()
                .subprotocols("pigeon.v1.json")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws?token=" + token), frames)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    private JsonNode send(int port, String token, String id, String to, String body) throws Exception {
        String frame = JSON.writeValueAsString(Map.of("type", "send", "id", id, "to", to, "body", body));
        HttpResponse<String> response = http.send(request(port, "/v1/send", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(frame)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode stats(int adminPort) throws Exception {
        HttpResponse<String> response = get(adminPort, "/admin/stats", ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        return http.send(request(port, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** The text frames a WebSocket receives, parsed, in order. */
    private static final class Frames implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException("not a JSON frame: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode frame = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frame).as("a frame within " + WAIT.toSeconds() + " s").isNotNull();
            return frame;
        }
    }
}
