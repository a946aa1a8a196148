package dev.pigeon.ops.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole cluster on this machine: Redis and Cassandra through {@code ops/bin/services}, then one
 * child JVM per node running {@code pigeon node}. {@link #stop} stops the nodes, then the services.
 */
public final class LocalCluster {
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    private static final Duration NODE_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration NODE_READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * @param nodes         how many node processes
     * @param dir           where the services keep their data and the nodes their logs
     * @param basePort      public port of the first node; the others follow
     * @param baseAdminPort admin port of the first node; the others follow
     * @param keyspace      the Cassandra keyspace every node uses
     * @param redisPrefix   the Redis prefix every node uses
     * @param servicesScript {@code ops/bin/services}, or a script that answers {@code up} and {@code down} alike
     */
    public record Plan(int nodes, Path dir, int basePort, int baseAdminPort, String keyspace, String redisPrefix,
                       String jwtSecret, String adminToken, Path servicesScript) {
        public Plan {
            if (nodes < 1) {
                throw new IllegalArgumentException("--nodes must be at least 1");
            }
            if (basePort < 1 || basePort + nodes - 1 > 65_535 || baseAdminPort < 1 || baseAdminPort + nodes - 1 > 65_535) {
                throw new IllegalArgumentException("the ports of " + nodes + " nodes do not fit below 65536");
            }
        }

        String nodeId(int i) {
            return "node-" + (i + 1);
        }
    }

    /** A started node process. */
    public record Node(String id, int port, int adminPort, Process process, Path log) {
    }

    private final Plan plan;
    private final List<Node> nodes = new ArrayList<>();
    private boolean servicesUp;

    public LocalCluster(Plan plan) {
        this.plan = plan;
    }

    /** Starts the services, then every node, and returns once every node is ready. */
    public synchronized List<Node> start() {
        requireFreePorts();
        Map<String, String> services = servicesUp();
        String redis = required(services, "PIGEON_TEST_REDIS");
        String cassandra = required(services, "PIGEON_TEST_CASSANDRA");
        for (int i = 0; i < plan.nodes(); i++) {
            nodes.add(startNode(i, redis, cassandra));
        }
        for (Node node : nodes) {
            awaitReady(node);
        }
        return List.copyOf(nodes);
    }

    /** Stops every node (SIGTERM, then a kill after a grace), then the services. Safe to call twice. */
    public synchronized void stop() {
        for (Node node : nodes) {
            node.process().destroy();
        }
        for (Node node : nodes) {
            stopNode(node);
        }
        nodes.clear();
        if (servicesUp) {
            servicesUp = false;
            int exit = runScript("down").exitCode();
            if (exit != 0) {
                log.warn("stopping the services failed (exit {}): see {}", exit, plan.dir());
            }
        }
    }

    private Map<String, String> servicesUp() {
        log.info("starting Redis and Cassandra in {} (Cassandra takes up to a minute)", plan.dir());
        ScriptRun up = runScript("up");
        servicesUp = true;  // stop() runs down even after a half-failed up
        if (up.exitCode() != 0) {
            throw new IllegalStateException("could not start Redis and Cassandra (ops/bin/services up exited "
                    + up.exitCode() + "; messages above, logs in " + plan.dir() + ")");
        }
        Map<String, String> env = new LinkedHashMap<>();
        up.output().lines().map(String::strip).filter(line -> line.matches("[A-Z_]+=\\S+")).forEach(line -> {
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        });
        return env;
    }

    private Node startNode(int i, String redis, String cassandra) {
        String id = plan.nodeId(i);
        int port = plan.basePort() + i;
        int adminPort = plan.baseAdminPort() + i;
        Path logFile = plan.dir().resolve(id + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                "dev.pigeon.ops.PigeonMain", "node",
                "--node-id", id, "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort),
                "--redis", redis, "--redis-prefix", plan.redisPrefix(),
                "--cassandra", cassandra, "--keyspace", plan.keyspace(),
                "--jwt-secret", plan.jwtSecret(), "--admin-token", plan.adminToken()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        // The children read their settings from their command line only.
        builder.environment().keySet().removeIf(name -> name.startsWith("PIGEON_"));
        try {
            Process process = builder.start();
            log.info("started {} (pid {}), log {}", id, process.pid(), logFile);
            return new Node(id, port, adminPort, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
    }

    /** Refuses ports taken by another program: a node would fail, and its /readyz would be someone else's. */
    private void requireFreePorts() {
        for (int i = 0; i < plan.nodes(); i++) {
            requireFree(plan.basePort() + i, plan.nodeId(i) + "'s public port: pick another --base-port");
            requireFree(plan.baseAdminPort() + i, plan.nodeId(i) + "'s admin port");
        }
    }

    private static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (" + what + ") is taken by another program");
        }
    }

    /**
     * Waits until the node's log says it is up and its {@code /readyz} answers 200 (the log line tells
     * our node from another program that took the port meanwhile). An operator's console, not a test,
     * so a plain wait between tries is fine.
     */
    private void awaitReady(Node node) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI readyz = URI.create("http://127.0.0.1:" + node.port() + "/readyz");
        Instant deadline = Instant.now().plus(NODE_READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!node.process().isAlive()) {
                throw new IllegalStateException(node.id() + " exited with " + node.process().exitValue()
                        + " before it was ready: see " + node.log());
            }
            try {
                if (saysItIsUp(node)) {
                    HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() == 200) {
                        return;
                    }
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + node.id());
            }
            pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException(node.id() + " was not ready within " + NODE_READY_TIMEOUT.toSeconds()
                + " s: see " + node.log());
    }

    private static boolean saysItIsUp(Node node) throws IOException {
        return Files.readString(node.log(), StandardCharsets.UTF_8).contains(ClusterNode.upLine(node.id()));
    }

    private static void stopNode(Node node) {
        try {
            if (!node.process().waitFor(NODE_STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not stop within {} s: killing it", node.id(), NODE_STOP_GRACE.toSeconds());
                node.process().destroyForcibly().waitFor();
            }
            log.info("{} stopped", node.id());
        } catch (InterruptedException e) {
            node.process().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private record ScriptRun(int exitCode, String output) {
    }

    /** Runs {@code services <command> --dir DIR}; its stderr (progress) goes to ours, its stdout is returned. */
    private ScriptRun runScript(String command) {
        try {
            Files.createDirectories(plan.dir());
            Process process = new ProcessBuilder(plan.servicesScript().toString(), command, "--dir", plan.dir().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new ScriptRun(process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + plan.servicesScript(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running services " + command);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalStateException("ops/bin/services up did not print " + name);
        }
        return value;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
