package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pigeon.ops.config.PigeonConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client of in-JVM cluster nodes on loopback: node options on {@link TestServices}, tokens, the
 * public HTTP and WebSocket transports and the admin API.
 */
final class NodeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String jwtSecret;
    private final String adminToken;
    private final DemoTokens tokens;

    NodeClient(String jwtSecret, String adminToken) {
        this.jwtSecret = jwtSecret;
        this.adminToken = adminToken;
        this.tokens = new DemoTokens(jwtSecret, Duration.ofHours(1), Clock.systemUTC());
    }

    /** Options of a node on ports 0 using the keyspace and Redis prefix of {@code services}. */
    Map<String, String> options(TestServices services, String nodeId) {
        Map<String, String> options = new HashMap<>();
        options.put("node-id", nodeId);
        options.put("port", "0");
        options.put("admin-port", "0");
        options.put("redis", services.redisUrl());
        options.put("redis-prefix", services.redisPrefix());
        options.put("cassandra", services.cassandra());
        options.put("keyspace", services.keyspace());
        options.put("jwt-secret", jwtSecret);
        options.put("admin-token", adminToken);
        return options;
    }

    PigeonConfig config(TestServices services, String nodeId) {
        return PigeonConfig.resolve(options(services, nodeId), Map.of());
    }

    String token(String user) {
        return tokens.mint(user);
    }

    WebSocket connect(int port, String token, Frames frames) {
        return http.newWebSocketBuilder()
                .subprotocols("pigeon.v1.json")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws?token=" + token), frames)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** POSTs {@code body} as JSON and returns the answer. */
    HttpResponse<String> post(int port, String path, String token, Object body) throws Exception {
        return http.send(request(port, path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code frame} through {@code POST /v1/send} and returns the {@code sent} frame. */
    JsonNode send(int port, String token, Map<String, String> frame) throws Exception {
        HttpResponse<String> response = post(port, "/v1/send", token, frame);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** GETs an admin path with the admin token, expecting 200. */
    JsonNode admin(int adminPort, String path) throws Exception {
        HttpResponse<String> response = get(adminPort, path, adminToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode stats(int adminPort) throws Exception {
        return admin(adminPort, "/admin/stats");
    }

    HttpResponse<String> get(int port, String path, String token) throws Exception {
        return http.send(request(port, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** The text frames a WebSocket receives, parsed, in order. */
    static final class Frames implements WebSocket.Listener {
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

        /** Takes the next frame, waiting at most {@link #WAIT}. */
        JsonNode next() throws InterruptedException {
            JsonNode frame = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frame).as("a frame within " + WAIT.toSeconds() + " s").isNotNull();
            return frame;
        }

        /** The frames of one type received so far and not taken by {@link #next}, in order. */
        List<JsonNode> ofType(String type) {
            List<JsonNode> frames = new ArrayList<>();
            for (JsonNode frame : received) {
                if (frame.get("type").asText().equals(type)) {
                    frames.add(frame);
                }
            }
            return frames;
        }
    }
}
