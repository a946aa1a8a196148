package dev.pigeon.ops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster nodes as child processes, so that a test may SIGKILL one: {@code pigeon node} in a child
 * JVM on this test's class path, on fresh loopback ports, each logging to its own file in the
 * test's directory. {@link #close} stops every node still running.
 */
final class NodeProcesses implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final long STOP_SECONDS = 30;

    /** One node process on its ports; a node started again gets new ones (the killed node's may linger). */
    record NodeProcess(String id, int port, int adminPort, Process process, Path log) {

        /** SIGKILL: no drained sessions, no goodbye to Redis. Returns once the process is gone. */
        void kill() throws InterruptedException {
            assertThat(process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS)).as("%s killed", id).isTrue();
        }
    }

    private final Path dir;
    private final List<String> options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<NodeProcess> started = new CopyOnWriteArrayList<>();

    /**
     * Nodes on the Redis, Cassandra keyspace and Redis prefix of {@code services}, logging to {@code dir};
     * {@code moreOptions} are further {@code pigeon node} options, such as {@code --presence-heartbeat 1s}.
     */
    NodeProcesses(Path dir, TestServices services, String jwtSecret, String adminToken, String... moreOptions) {
        this.dir = dir;
        this.options = new ArrayList<>(List.of(
                "--redis", services.redisUrl(), "--redis-prefix", services.redisPrefix(),
                "--cassandra", services.cassandra(), "--keyspace", services.keyspace(),
                "--jwt-secret", jwtSecret, "--admin-token", adminToken));
        this.options.addAll(List.of(moreOptions));
    }

    /** Starts node {@code id} and returns at once; {@link #awaitReady} waits until it serves. */
    NodeProcess start(String id) throws IOException {
        int port = freePort();
        int adminPort = freePort();
        Path log = dir.resolve(id + "-" + port + ".log");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.pigeon.ops.PigeonMain", "node",
                "--node-id", id, "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort)));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PIGEON_"));
        NodeProcess node = new NodeProcess(id, port, adminPort, builder.start(), log);
        started.add(node);
        return node;
    }

    /** Waits until {@code node} has logged that it is up and its {@code /readyz} answers 200. */
    void awaitReady(NodeProcess node) {
        await(node.id() + " ready").atMost(READY).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    assertThat(node.process().isAlive()).as("%s is running: see %s", node.id(), node.log()).isTrue();
                    if (!Files.readString(node.log(), StandardCharsets.UTF_8).contains(ClusterNode.upLine(node.id()))) {
                        return false;
                    }
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/readyz"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                });
    }

    /** Stops every node still running: SIGTERM, then SIGKILL for one that does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : started) {
            node.process().destroy();
        }
        for (NodeProcess node : started) {
            if (!node.process().waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                node.kill();
            }
        }
    }

    /** A loopback port free at the moment of asking. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
