package dev.pigeon.ops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A Redis of one test class's own, run by ops/bin/redis on a free loopback port, so that the class
 * may stop it (and start it again, empty) without disturbing any other test's Redis.
 */
final class OwnRedis implements AutoCloseable {
    private final Path dir;
    private final int port;

    private OwnRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a Redis keeping its pid file and log in {@code dir}. */
    static OwnRedis startIn(Path dir) {
        OwnRedis redis = new OwnRedis(dir, freePort());
        redis.start();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it again after {@link #stop}: without persistence, every key is gone. */
    void start() {
        script("start");
    }

    /** Shuts it down and waits until the process has exited. */
    void stop() {
        script("stop");
    }

    @Override
    public void close() {
        stop();
    }

    private void script(String command) {
        OpsScripts.run("redis", command, "--dir", dir.toString(), "--port", String.valueOf(port));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
