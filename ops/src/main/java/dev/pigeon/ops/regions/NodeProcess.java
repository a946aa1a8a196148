package dev.pigeon.ops.regions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of a local region deployment as a child JVM running {@code pigeon node} on this JVM's
 * class path, appending its output to its log. It may be started again after a stop or a kill, on the
 * same ports.
 */
final class NodeProcess {
    /** Bounds each node's memory: a deployment runs several beside two Cassandra nodes. */
    private static final String HEAP = "-Xmx512m";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final NodeEndpoints endpoints;
    private final List<String> arguments;
    private final Map<String, String> secrets;
    private final Path log;
    private Process process;

    NodeProcess(NodeEndpoints endpoints, List<String> arguments, Map<String, String> secrets, Path log) {
        this.endpoints = endpoints;
        this.arguments = List.copyOf(arguments);
        this.secrets = Map.copyOf(secrets);
        this.log = log;
    }

    NodeEndpoints endpoints() {
        return endpoints;
    }

    Path log() {
        return log;
    }

    /** Starts the JVM and returns at once; {@link #awaitReady} waits until it serves. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(endpoints.nodeId() + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), HEAP, "-cp", System.getProperty("java.class.path"),
                "dev.pigeon.ops.PigeonMain"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // a node reads its settings from its command line and the secrets given here, nothing else
        builder.environment().keySet().removeIf(name -> name.startsWith("PIGEON_"));
        builder.environment().putAll(secrets);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + endpoints.nodeId(), e);
        }
    }

    /**
     * Waits until the node answers {@code /readyz} with 200.
     *
     * @throws IllegalStateException when it exits first or is not ready by the deadline
     */
    void awaitReady(Duration timeout) {
        HttpRequest readyz = HttpRequest.newBuilder(endpoints.http().resolve("/readyz"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Process running = current();
            if (running == null || !running.isAlive()) {
                throw new IllegalStateException(endpoints.nodeId() + " exited before it was ready"
                        + (running == null ? "" : " (exit " + running.exitValue() + ")") + ": see " + log);
            }
            try {
                if (HTTP.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + endpoints.nodeId(), e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(endpoints.nodeId() + " was not ready within " + timeout.toSeconds()
                        + " s: see " + log);
            }
            pause();
        }
    }

    /** SIGKILL: no drained sessions, no goodbye; returns once the process is gone. */
    void kill() {
        Process running = current();
        if (running != null) {
            awaitExit(running.destroyForcibly(), Duration.ofSeconds(30));
        }
    }

    /** SIGTERM: the node shuts down in order; killed when it takes longer than the grace. */
    void stop() {
        Process running = current();
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        if (!awaitExit(running, STOP_GRACE)) {
            kill();
        }
    }

    private synchronized Process current() {
        return process;
    }

    private boolean awaitExit(Process running, Duration timeout) {
        try {
            return running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The node takes seconds to start; a short wait between tries keeps the polling cheap. */
    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a node", e);
        }
    }
}
