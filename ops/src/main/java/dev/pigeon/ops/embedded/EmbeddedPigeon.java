package dev.pigeon.ops.embedded;

import dev.pigeon.gateway.GatewayServer;
import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.ops.JvmMetrics;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.LocalNodeBus;
import dev.pigeon.router.LocalPresence;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pigeon on one node, in one process: the embedded store on local disk, one region, presence and the
 * node bus in process, the router and the gateway with dev tokens and the demo page. {@link #start}
 * assembles and starts it; {@link #stop} takes it apart in the reverse order, so that the gateway has
 * drained its sessions and in-flight sends before the router, the bus and finally the store close.
 */
public final class EmbeddedPigeon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPigeon.class);
    /** Any user will do: readiness asks the store for an inbox head, which touches the disk. */
    private static final String READINESS_PROBE_USER = "readyz";

    /** Something to close on stop, named for the log. */
    private record Part(String name, AutoCloseable closer) {
    }

    private final Deque<Part> parts;
    private final GatewayServer gateway;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private EmbeddedPigeon(Deque<Part> parts, GatewayServer gateway) {
        this.parts = parts;
        this.gateway = gateway;
    }

    /**
     * Opens the store in the configured data directory and starts serving.
     *
     * @throws RuntimeException when a part cannot start (the data directory is held by another
     *                          process, a port is taken); whatever had started is closed again
     */
    public static EmbeddedPigeon start(PigeonConfig config) {
        Deque<Part> parts = new ArrayDeque<>();
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            parts.push(new Part("metrics", meters::close));
            parts.push(new Part("JVM metrics", JvmMetrics.bindTo(meters)));

            MessageStore store = EmbeddedMessageStore.open(config.dataDir(), config.storeOptions());
            parts.push(new Part("store", store));
            LocalNodeBus bus = LocalNodeBus.create();
            parts.push(new Part("node bus", bus));

            var gatewayConfig = config.gateway().toBuilder().devTokens(true).build();
            var homes = new SingleRegionHomeDirectory(gatewayConfig.region());
            var presence = LocalPresence.create();
            var validator = new FrameValidator(config.frameLimits());
            DefaultRouter router = DefaultRouter.builder()
                    .nodeId(gatewayConfig.nodeId())
                    .store(store)
                    .homes(homes)
                    .presence(presence)
                    .bus(bus)
                    .validator(validator)
                    .limits(config.routerLimits())
                    .meterRegistry(meters)
                    .build();
            parts.push(new Part("router", router));

            GatewayServer gateway = GatewayServer.builder()
                    .config(gatewayConfig)
                    .router(router)
                    .groups(router)
                    .presence(presence)
                    .homes(homes)
                    .meterRegistry(meters)
                    .validator(validator)
                    .readiness(() -> storeAnswers(store, config.routerLimits().storageTimeout()))
                    .build()
                    .start();
            parts.push(new Part("gateway", gateway::stop));

            EmbeddedPigeon pigeon = new EmbeddedPigeon(parts, gateway);
            StartBanner.lines(config, gateway.port(), gateway.adminPort()).forEach(log::info);
            StartBanner.demoCredentialWarnings(config).forEach(log::warn);
            return pigeon;
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** The public port actually bound (useful with port 0). */
    public int port() {
        return gateway.port();
    }

    public int adminPort() {
        return gateway.adminPort();
    }

    /**
     * Stops the gateway (sessions are told to reconnect, in-flight requests finish within the shutdown
     * grace), then closes the router, the bus and the store, logging each step. Safe to call twice.
     */
    public void stop() {
        synchronized (parts) {
            if (parts.isEmpty()) {
                return;
            }
            log.info("stopping");
            closeAll(parts);
            log.info("stopped");
        }
        stopped.countDown();
    }

    @Override
    public void close() {
        stop();
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the parts newest first; a part that fails to close does not keep the others open. */
    private static void closeAll(Deque<Part> parts) {
        while (!parts.isEmpty()) {
            Part part = parts.pop();
            try {
                part.closer().close();
                log.info("closed {}", part.name());
            } catch (Exception e) {
                log.warn("closing {} failed", part.name(), e);
            }
        }
    }

    private static CompletionStage<Boolean> storeAnswers(MessageStore store, Duration timeout) {
        try {
            return store.inboxHead(READINESS_PROBE_USER).toCompletableFuture()
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((head, failure) -> failure == null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }
}
