package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pigeon.ops.ClientTokens;
import dev.pigeon.ops.config.PigeonConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
    /** Options for a test whose sends follow one another as fast as they are answered, beyond the default rate limit. */
    static final Map<String, String> UNLIMITED_SENDS = Map.of("sends-per-second", "10000");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String jwtSecret;
    private final String adminToken;
    private final ClientTokens tokens;

    NodeClient(String jwtSecret, String adminToken) {
        this.jwtSecret = jwtSecret;
        this.adminToken = adminToken;
        this.tokens = new ClientTokens(jwtSecret, Duration.ofHours(1), Clock.systemUTC());
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

    /** As {@link #config(TestServices, String)}, with some options replaced or added. */
    PigeonConfig config(TestServices services, String nodeId, Map<String, String> overrides) {
        Map<String, String> options = options(services, nodeId);
        options.putAll(overrides);
        return PigeonConfig.resolve(options, Map.of());
    }

    String jwtSecret() {
        return jwtSecret;
    }

    String adminToken() {
        return adminToken;
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

    /**
     * Opens a WebSocket that resumes after inbox position {@code since}: it replays {@code seq > since},
     * then goes live. Fails when the node cannot be reached.
     */
    CompletableFuture<WebSocket> resume(int port, String token, long since, WebSocket.Listener listener) {
        return http.newWebSocketBuilder()
                .subprotocols("pigeon.v1.json")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws?since=" + since + "&token=" + token), listener)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS);
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

    /** {@code user}'s whole inbox through {@code GET /v1/sync}, oldest first; checks that the last page ends at the head. */
    List<JsonNode> inbox(int port, String user) throws Exception {
        List<JsonNode> inbox = new ArrayList<>();
        long since = 0;
        while (true) {
            JsonNode page = getJson(port, "/v1/sync?since=" + since + "&limit=1000", token(user));
            JsonNode messages = page.get("messages");
            if (messages.isEmpty()) {
                assertThat(page.get("head").asLong()).as("%s's head", user).isEqualTo(since);
                return inbox;
            }
            messages.forEach(inbox::add);
            since = messages.get(messages.size() - 1).get("seq").asLong();
        }
    }

    /** A conversation's whole log through {@code GET /v1/history}, read as member {@code user}, oldest first. */
    List<JsonNode> log(int port, String user, String conversation) throws Exception {
        List<JsonNode> log = new ArrayList<>();
        String before = "";
        while (true) {
            JsonNode page = getJson(port, "/v1/history/" + conversation + "?limit=1000" + before, token(user));
            JsonNode messages = page.get("messages");
            if (messages.isEmpty()) {
                Collections.reverse(log);
                return log;
            }
            messages.forEach(log::add);
            before = "&before=" + messages.get(messages.size() - 1).get("conv_seq").asLong();
        }
    }

    /**
     * The value of one sample in the admin {@code /metrics} text: the line that starts with
     * {@code name} and holds every one of {@code labels} (such as {@code name="storage"}); 0 when none does.
     */
    double metric(int adminPort, String name, String... labels) throws Exception {
        HttpResponse<String> response = get(adminPort, "/metrics", adminToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
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

    private JsonNode getJson(int port, String path, String token) throws Exception {
        HttpResponse<String> response = get(port, path, token);
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    HttpResponse<String> get(int port, String path, String token) throws Exception {
        return http.send(request(port, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
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
