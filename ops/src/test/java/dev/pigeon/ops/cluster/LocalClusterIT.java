package dev.pigeon.ops.cluster;

import dev.pigeon.ops.ClientTokens;
import dev.pigeon.ops.cluster.LocalCluster.Node;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code pigeon node} processes started the way {@code pigeon cluster} starts them, on the test
 * Redis and Cassandra, which a stand-in for ops/bin/services names.
 */
class LocalClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_SECRET = "local-cluster-it-secret";
    private static final String ADMIN_TOKEN = "local-cluster-it-admin";

    @TempDir
    Path dir;

    private TestServices services;
    private LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void plan() throws IOException {
        services = TestServices.forOneTestClass();
        Path script = dir.resolve("services");
        Files.writeString(script, """
                #!/usr/bin/env bash
                case "$1" in
                  up) echo "services: up" >&2; echo PIGEON_TEST_REDIS=%s; echo PIGEON_TEST_CASSANDRA=%s ;;
                  down) touch "$3/down" ;;
                esac
                """.formatted(services.redisUrl(), services.cassandra()));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        cluster = new LocalCluster(new LocalCluster.Plan(2, dir, freePortPair(), freePortPair(), services.keyspace(),
                services.redisPrefix(), JWT_SECRET, ADMIN_TOKEN, script));
    }

    @AfterEach
    void cleanUp() {
        cluster.stop();
        services.cleanUp();
    }

    @Test
    void nodeProcessesServeOneClusterAndStopBeforeTheServices() throws Exception {
        List<Node> nodes = cluster.start();

        assertThat(nodes).extracting(Node::id).containsExactly("node-1", "node-2");
        assertThat(nodes.get(1).port()).isEqualTo(nodes.get(0).port() + 1);
        ClientTokens tokens = new ClientTokens(JWT_SECRET, Duration.ofHours(1), Clock.systemUTC());
        String frame = JSON.writeValueAsString(Map.of("type", "send", "id", "p1", "to", "bob", "body", "between processes"));
        HttpResponse<String> sent = http.send(request(nodes.get(0).port(), "/v1/send", tokens.mint("alice"))
                .POST(HttpRequest.BodyPublishers.ofString(frame)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        HttpResponse<String> synced = http.send(request(nodes.get(1).port(), "/v1/sync?since=0", tokens.mint("bob"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode inbox = JSON.readTree(synced.body());
        assertThat(inbox.get("messages").get(0).get("body").asText()).isEqualTo("between processes");

        cluster.stop();

        assertThat(nodes).allSatisfy(node -> assertThat(node.process().isAlive()).isFalse());
        assertThat(dir.resolve("down")).exists();
        assertThat(Files.readString(nodes.get(0).log())).contains("node-1 is up");
    }

    private static HttpRequest.Builder request(int port, String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    /** The first of two neighbouring ports that are free now. */
    private static int freePortPair() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        while (true) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            try (ServerSocket a = new ServerSocket(first, 1, loopback);
                 ServerSocket b = new ServerSocket(first + 1, 1, loopback)) {
                return first;
            } catch (IOException taken) {
                // try another pair
            }
        }
    }
}
