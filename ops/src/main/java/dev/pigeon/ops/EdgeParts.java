package dev.pigeon.ops;

import dev.pigeon.gateway.GatewayConfig;
import dev.pigeon.gateway.GatewayServer;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.NodeBus;
import dev.pigeon.router.Presence;
import dev.pigeon.router.RegionParts;
import dev.pigeon.storage.MessageStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What every node runs on top of the parts its mode chose (the store, the home directory, presence
 * and the bus): the router and the gateway, configured the same way in the embedded and the
 * cluster node. {@code regions} is null on a node whose region is the only one.
 */
public record EdgeParts(PigeonConfig config, GatewayConfig gatewayConfig, MessageStore store, HomeDirectory homes,
                        Presence presence, NodeBus bus, PrometheusMeterRegistry meters, RegionParts regions) {

    /** The parts of a node whose region is the only one. */
    public EdgeParts(PigeonConfig config, GatewayConfig gatewayConfig, MessageStore store, HomeDirectory homes,
                     Presence presence, NodeBus bus, PrometheusMeterRegistry meters) {
        this(config, gatewayConfig, store, homes, presence, bus, meters, null);
    }

    /**
     * Starts the router, then the gateway answering {@code /readyz} with {@code readiness}; both are
     * added to {@code parts}, so they stop before what they run on.
     */
    public GatewayServer start(StartedParts parts, Supplier<CompletionStage<Boolean>> readiness) {
        var validator = new FrameValidator(config.frameLimits());
        DefaultRouter router = parts.add("router", DefaultRouter.builder()
                .nodeId(gatewayConfig.nodeId())
                .store(store)
                .homes(homes)
                .presence(presence)
                .bus(bus)
                .validator(validator)
                .limits(config.routerLimits())
                .groupCacheTtl(config.get(PigeonConfig.GROUP_CACHE_TTL))
                .meterRegistry(meters)
                .regions(regions)
                .build(), DefaultRouter::close);
        GatewayServer.Builder gateway = GatewayServer.builder();
        if (regions != null) {
            // before serving: a node of a region that was failed over must not write as its home
            router.learnRegionStanding().toCompletableFuture().join();
            gateway.regionAdmin(router.regionAdmin().orElseThrow())
                    .link(router.regionCalls().orElseThrow(), config.linkPort(), config.linkSecret());
        }
        return parts.add("gateway", gateway
                .config(gatewayConfig)
                .router(router)
                .groups(router)
                .presence(router.presenceOfAllRegions())
                .homes(homes)
                .meterRegistry(meters)
                .validator(validator)
                .webAssets(BrowserAssets.all())
                .readiness(readiness)
                .build()
                .start(), GatewayServer::stop);
    }
}
