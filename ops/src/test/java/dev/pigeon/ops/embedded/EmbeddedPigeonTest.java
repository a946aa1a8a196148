package dev.pigeon.ops.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pigeon.ops.config.PigeonConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPigeonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void messagesSurviveARestartOnTheSameDataDirAndSeqContinues() throws Exception {
        PigeonConfig config = PigeonConfig.resolve(
                Map.of("port", "0", "admin-port", "0", "data-dir", dataDir.toString()), Map.of());

        int firstPort;
        try (EmbeddedPigeon pigeon = EmbeddedPigeon.start(config)) {
            firstPort = pigeon.port();
            assertThat(get(pigeon.port(), "/readyz", null).statusCode()).isEqualTo(200);
            String alice = devToken(pigeon.port(), "alice");

            JsonNode sent = send(pigeon.port(), alice, "m1", "bob", "hello before the restart");

            assertThat(sent.get("type").asText()).isEqualTo("sent");
            assertThat(sent.get("seq").asLong()).isEqualTo(1);
            assertThat(sent.get("conv_seq").asLong()).isEqualTo(1);
        }
        assertThatThrownBy(() -> get(firstPort, "/healthz", null)).isInstanceOf(ConnectException.class);

        try (EmbeddedPigeon pigeon = EmbeddedPigeon.start(config)) {
            String alice = devToken(pigeon.port(), "alice");
            String bob = devToken(pigeon.port(), "bob");

            JsonNode bobsInbox = sync(pigeon.port(), bob);
            assertThat(bobsInbox.get("head").asLong()).isEqualTo(1);
            JsonNode kept = bobsInbox.get("messages").get(0);
            assertThat(kept.get("seq").asLong()).isEqualTo(1);
            assertThat(kept.get("conversation").asText()).isEqualTo("dm:alice:bob");
            assertThat(kept.get("from").asText()).isEqualTo("alice");
            assertThat(kept.get("body").asText()).isEqualTo("hello before the restart");

            JsonNode retried = send(pigeon.port(), alice, "m1", "bob", "hello before the restart");
            assertThat(retried.get("seq").asLong()).as("a retried send creates nothing").isEqualTo(1);

            JsonNode next = send(pigeon.port(), bob, "r1", "alice", "and after it");
            assertThat(next.get("conv_seq").asLong()).isEqualTo(2);
            assertThat(next.get("seq").asLong()).isEqualTo(2);
            assertThat(sync(pigeon.port(), alice).get("messages")).extracting(m -> m.get("seq").asLong())
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void theAdminPortServesPrometheusMetricsWithJvmFigures() throws Exception {
        PigeonConfig config = PigeonConfig.resolve(Map.of("port", "0", "admin-port", "0",
                "data-dir", dataDir.toString(), "admin-token", "test-admin-token"), Map.of());

        try (EmbeddedPigeon pigeon = EmbeddedPigeon.start(config)) {
            HttpResponse<String> metrics = get(pigeon.adminPort(), "/metrics", "test-admin-token");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
        }
    }

    @Test
    void aSecondNodeOnTheSameDataDirIsRefusedAndLeavesNothingRunning() {
        PigeonConfig config = PigeonConfig.resolve(
                Map.of("port", "0", "admin-port", "0", "data-dir", dataDir.toString()), Map.of());

        try (EmbeddedPigeon first = EmbeddedPigeon.start(config)) {
            assertThatThrownBy(() -> EmbeddedPigeon.start(config)).isInstanceOf(RuntimeException.class);
            assertThat(first.port()).isPositive();
        }
    }

    private String devToken(int port, String user) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(port, "/v1/dev/token?user=" + user, null)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("token").asText();
    }

    private JsonNode send(int port, String token, String id, String to, String body) throws Exception {
        String frame = JSON.writeValueAsString(Map.of("type", "send", "id", id, "to", to, "body", body));
        HttpResponse<String> response = http.send(request(port, "/v1/send", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(frame)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode sync(int port, String token) throws Exception {
        HttpResponse<String> response = get(port, "/v1/sync?since=0", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        return http.send(request(port, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
