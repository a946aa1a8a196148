package dev.pigeon.client;

import dev.pigeon.gateway.GatewayConfig;
import dev.pigeon.gateway.GatewayServer;
import dev.pigeon.gateway.auth.TokenIssuer;
import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.LocalNodeBus;
import dev.pigeon.router.LocalPresence;
import dev.pigeon.router.RouterLimits;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A real Pigeon node in the test JVM (embedded store, in-process router, presence and bus, the Netty
 * gateway) on loopback, on a free port. It can be stopped and started again on the same data
 * directory, as a restarted server would be (on a new port: tests reach it through a {@link TestProxy}).
 */
final class TestNode implements AutoCloseable {
    static final String SECRET = "client-test-secret-that-is-long-enough";

    private final Path dataDir;
    private final TokenIssuer tokens = new TokenIssuer(SECRET, Clock.systemUTC());
    private int port;
    private EmbeddedMessageStore store;
    private LocalNodeBus bus;
    private DefaultRouter router;
    private GatewayServer server;

    private TestNode(Path dataDir) {
        this.dataDir = dataDir;
    }

    static TestNode start(Path dataDir) {
        TestNode node = new TestNode(dataDir);
        node.startAgain();
        return node;
    }

    /** Starts the node (again) on a free port. */
    void startAgain() {
        store = EmbeddedMessageStore.open(dataDir, EmbeddedStoreOptions.builder().syncWrites(false).build());
        bus = LocalNodeBus.create();
        GatewayConfig config = GatewayConfig.builder().bindHost("127.0.0.1").port(0).adminPort(0)
                .jwtSecret(SECRET).devTokens(true).shutdownGrace(Duration.ofSeconds(2)).build();
        LocalPresence presence = LocalPresence.create();
        FrameValidator validator = new FrameValidator();
        SingleRegionHomeDirectory homes = new SingleRegionHomeDirectory(config.region());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        router = DefaultRouter.builder().nodeId(config.nodeId()).store(store).homes(homes).presence(presence)
                .bus(bus).validator(validator).meterRegistry(meters)
                .limits(RouterLimits.defaults().withSendsPerSecond(1_000_000)).build();
        server = GatewayServer.builder().config(config).router(router).groups(router).presence(presence)
                .homes(homes).validator(validator).meterRegistry(meters)
                .readiness(() -> CompletableFuture.completedFuture(true)).build().start();
        port = server.port();
    }

    void stop() {
        server.stop();
        router.close();
        bus.close();
        store.close();
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String token(String user) {
        return tokens.issue(user, Duration.ofHours(1));
    }

    @Override
    public void close() {
        stop();
    }
}
