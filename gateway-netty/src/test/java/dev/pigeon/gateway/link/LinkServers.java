package dev.pigeon.gateway.link;

import dev.pigeon.router.region.RegionCalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

/** Link servers and addresses on loopback for the link's tests. */
final class LinkServers {
    static final String SECRET = "link-secret-0123456789";

    private LinkServers() {
    }

    static LinkServer start(RegionCalls calls, Duration callTimeout) {
        return LinkServer.builder().calls(calls).secret(SECRET).bindHost("127.0.0.1").port(0)
                .callTimeout(callTimeout).shutdownGrace(Duration.ofSeconds(1)).build().start();
    }

    static URI url(LinkServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** A loopback URL where nothing listens (a port that was free a moment ago). */
    static URI deadUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
