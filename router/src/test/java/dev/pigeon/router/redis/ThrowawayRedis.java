package dev.pigeon.router.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of a test's own, started, stopped and restarted by the project's script
 * ({@code ops/bin/redis}), for tests that take Redis away and must not disturb anybody else's.
 */
final class ThrowawayRedis implements AutoCloseable {
    private final Path script;
    private final Path dir;
    private final int port;

    private ThrowawayRedis(Path script, Path dir, int port) {
        this.script = script;
        this.dir = dir;
        this.port = port;
    }

    static ThrowawayRedis start(Path dir) throws IOException {
        ThrowawayRedis redis = new ThrowawayRedis(findScript(), dir, freePort());
        redis.run("start");
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void stop() {
        run("stop");
    }

    void startAgain() {
        run("start");
    }

    @Override
    public void close() {
        stop();
    }

    private void run(String command) {
        Path output = dir.resolve("ops-" + command + ".log");
        try {
            Process process = new ProcessBuilder(script.toString(), command, "--dir", dir.toString(),
                    "--port", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ops/bin/redis " + command + " did not finish: " + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("ops/bin/redis " + command + " failed: " + Files.readString(output));
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + script, e);
        }
    }

    /** The script from the working directory (the module's) or any directory above it. */
    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("ops/bin/redis");
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        throw new IllegalStateException("ops/bin/redis not found above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
