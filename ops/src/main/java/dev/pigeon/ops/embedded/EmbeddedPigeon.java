package dev.pigeon.ops.embedded;

import dev.pigeon.gateway.GatewayServer;
import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.ops.EdgeParts;
import dev.pigeon.ops.JvmMetrics;
import dev.pigeon.ops.RunningNode;
import dev.pigeon.ops.StartedParts;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.router.LocalNodeBus;
import dev.pigeon.router.LocalPresence;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Pigeon on one node, in one process: the embedded store on local disk, one region, presence and the
 * node bus in process, the router and the gateway with dev tokens and the demo page. {@link #start}
 * assembles and starts it; {@link #stop} takes it apart in the reverse order, so that the gateway has
 * drained its sessions and in-flight sends before the router, the bus and finally the store close.
 */
public final class EmbeddedPigeon extends RunningNode {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPigeon.class);
    /** Any user will do: readiness asks the store for an inbox head, which touches the disk. */
    private static final String READINESS_PROBE_USER = "readyz";

    private EmbeddedPigeon(StartedParts parts, GatewayServer gateway) {
        super(parts, gateway);
    }

    /**
     * Opens the store in the configured data directory and starts serving.
     *
     * @throws RuntimeException when a part cannot start (the data directory is held by another
     *                          process, a port is taken); whatever had started is closed again
     */
    public static EmbeddedPigeon start(PigeonConfig config) {
        StartedParts parts = new StartedParts();
        try {
            PrometheusMeterRegistry meters = parts.add("metrics", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    PrometheusMeterRegistry::close);
            parts.add("JVM metrics", JvmMetrics.bindTo(meters), JvmGcMetrics::close);

            MessageStore store = parts.add("store",
                    EmbeddedMessageStore.open(config.dataDir(), config.storeOptions()), MessageStore::close);
            LocalNodeBus bus = parts.add("node bus", LocalNodeBus.create(), LocalNodeBus::close);

            var gatewayConfig = config.gateway().toBuilder().devTokens(true).build();
            var homes = new SingleRegionHomeDirectory(gatewayConfig.region());
            var presence = LocalPresence.create();
            GatewayServer gateway = new EdgeParts(config, gatewayConfig, store, homes, presence, bus, meters)
                    .start(parts, () -> storeAnswers(store, config.routerLimits().storageTimeout()));

            EmbeddedPigeon pigeon = new EmbeddedPigeon(parts, gateway);
            StartBanner.lines(config, gateway.port(), gateway.adminPort()).forEach(log::info);
            StartBanner.demoCredentialWarnings(config).forEach(log::warn);
            return pigeon;
        } catch (RuntimeException e) {
            parts.closeAll();
            throw e;
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
