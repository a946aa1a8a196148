package dev.pigeon.ops.cluster;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.pigeon.gateway.GatewayServer;
import dev.pigeon.gateway.link.HttpRegionLink;
import dev.pigeon.homing.EpochedMessageStore;
import dev.pigeon.homing.StoredHomeDirectory;
import dev.pigeon.ops.EdgeParts;
import dev.pigeon.ops.JvmMetrics;
import dev.pigeon.ops.RunningNode;
import dev.pigeon.ops.StartedParts;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.router.NodeBus;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Presence;
import dev.pigeon.router.RegionParts;
import dev.pigeon.router.RegionStates;
import dev.pigeon.router.redis.RedisNodeBus;
import dev.pigeon.router.redis.RedisPresence;
import dev.pigeon.router.resilience.ResilienceSettings;
import dev.pigeon.router.resilience.ResilientHomeStore;
import dev.pigeon.router.resilience.ResilientMessageStore;
import dev.pigeon.router.resilience.ResilientPresence;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.cassandra.CassandraMessageStore;
import dev.pigeon.storage.cassandra.CassandraStoreOptions;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One Pigeon node of a cluster: messages in Cassandra, presence and the node bus in Redis (shared by
 * every node of the region), the router and the gateway without dev tokens. {@link #start} assembles
 * it and fails when Cassandra or Redis cannot be reached; {@link #stop} takes it apart in the reverse
 * order, so the gateway drains its sessions before the router, the bus, presence (once the drained
 * sessions have unregistered), the Redis client and finally the store close. The node is ready once
 * the store and Redis answer and its node bus subscription is live.
 */
public final class ClusterNode extends RunningNode {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** How often a node of several regions writes its region's heartbeat (the replication lag's resolution). */
    private static final Duration REGION_BEAT = Duration.ofSeconds(1);
    /** Any user will do: readiness asks the store for an inbox head, which is one read. */
    private static final String READINESS_PROBE_USER = "readyz";

    private ClusterNode(StartedParts parts, GatewayServer gateway) {
        super(parts, gateway);
    }

    /**
     * Connects to Cassandra (creating the keyspace and its tables when missing) and Redis, then starts
     * serving.
     *
     * @throws RuntimeException when a part cannot start (Cassandra or Redis unreachable, a port taken);
     *                          whatever had started is closed again
     */
    public static ClusterNode start(PigeonConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /**
     * As {@link #start(PigeonConfig)}, with the router using {@code busDecorator} applied to the node
     * bus: a seam for tests that lose or delay deliveries on purpose.
     */
    static ClusterNode start(PigeonConfig config, UnaryOperator<NodeBus> busDecorator) {
        StartedParts parts = new StartedParts();
        try {
            var gatewayConfig = config.gateway().toBuilder().devTokens(false).build();
            String nodeId = gatewayConfig.nodeId();
            String prefix = config.get(PigeonConfig.REDIS_PREFIX);
            Duration timeout = config.routerLimits().storageTimeout();

            PrometheusMeterRegistry meters = parts.add("metrics", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    PrometheusMeterRegistry::close);
            parts.add("JVM metrics", JvmMetrics.bindTo(meters), JvmGcMetrics::close);

            CassandraMessageStore cassandra = parts.add("store", CassandraMessageStore.connect(config.cassandraOptions()),
                    MessageStore::close);
            // remote calls fail fast while Cassandra or Redis is down, and recover by themselves
            ResilienceSettings resilience = ResilienceSettings.defaults();
            ResilientMessageStore store = new ResilientMessageStore(cassandra, resilience, meters);
            RedissonClient redis = parts.add("Redis client", redisClient(config.get(PigeonConfig.REDIS)),
                    RedissonClient::shutdown);
            RedisPresence redisPresence = parts.add("presence", RedisPresence.builder(redis)
                    .prefix(prefix)
                    .nodeId(nodeId)
                    .heartbeat(config.get(PigeonConfig.PRESENCE_HEARTBEAT))
                    .meterRegistry(meters)
                    .build(), RedisPresence::close);
            Presence presence = new ResilientPresence(redisPresence, resilience, meters);
            RedisNodeBus bus = parts.add("node bus", RedisNodeBus.create(redis, prefix, meters), RedisNodeBus::close);

            ResilientHomeStore homeStore = new ResilientHomeStore(cassandra, store);
            var homes = new StoredHomeDirectory(gatewayConfig.region(), homeStore);
            RegionParts regions = null;
            MessageStore routed = store;
            if (!config.regionPeers().isEmpty()) {
                EpochedMessageStore epochs = new EpochedMessageStore(store, homeStore, homes);
                HttpRegionLink link = parts.add("region link", new HttpRegionLink(config.regionPeers(),
                        config.linkSecret(), timeout), HttpRegionLink::close);
                regions = new RegionParts(link, cassandra.regions(), RegionStates.of(cassandra.regions()), homeStore,
                        epochs, region -> CassandraMessageStore.connect(readerOf(config, region)), REGION_BEAT,
                        StoredHomeDirectory.DEFAULT_TTL);
                routed = epochs;
            }
            String readinessKey = "pigeon:" + prefix + ":readyz";
            GatewayServer gateway = new EdgeParts(config, gatewayConfig, routed, homes, presence, busDecorator.apply(bus),
                    meters, regions).start(parts,
                    // without the subscription, deliveries to this node's sessions would go unheard
                    () -> !bus.listening(nodeId) ? CompletableFuture.completedFuture(false) : bothAnswer(
                            () -> store.inboxHead(READINESS_PROBE_USER),
                            () -> redis.getKeys().countExistsAsync(readinessKey),
                            timeout));

            log.info("{}: public port {}, admin port {}, Redis {} (prefix {}), Cassandra {} (keyspace {})",
                    upLine(nodeId), gateway.port(), gateway.adminPort(),
                    config.get(PigeonConfig.REDIS), prefix, config.get(PigeonConfig.CASSANDRA),
                    config.get(PigeonConfig.KEYSPACE));
            return new ClusterNode(parts, gateway);
        } catch (RuntimeException e) {
            parts.closeAll();
            throw e;
        }
    }

    /**
     * Options of a store that reads {@code region}'s own data centre at {@code LOCAL_ONE}: what a
     * returning region holds that never replicated is there alone.
     */
    private static CassandraStoreOptions readerOf(PigeonConfig config, String region) {
        String datacenter = config.regionDatacenters().get(region);
        if (datacenter == null) {
            throw ProtocolException.badRequest("region-datacenters names no data centre for region " + region);
        }
        CassandraStoreOptions own = config.cassandraOptions();
        return CassandraStoreOptions.builder()
                .contactPoints(own.contactPoints())
                .localDatacenter(datacenter)
                .keyspace(own.keyspace())
                .requestTimeout(own.requestTimeout())
                .consistency(DefaultConsistencyLevel.LOCAL_ONE)
                .build();
    }

    /** What a node logs once it serves; {@link LocalCluster} waits for it. */
    static String upLine(String nodeId) {
        return "Pigeon cluster node " + nodeId + " is up";
    }

    /** A client of one Redis server, sized for one node (Redisson's defaults suit a whole application server). */
    private static RedissonClient redisClient(String url) {
        Config config = new Config();
        config.setThreads(4);
        config.setNettyThreads(8);
        config.useSingleServer()
                .setAddress(url)
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(4);
        return Redisson.create(config);
    }

    /** True when both probes complete without failure within {@code timeout}. */
    static CompletionStage<Boolean> bothAnswer(Supplier<CompletionStage<?>> first, Supplier<CompletionStage<?>> second,
                                               Duration timeout) {
        return answers(first, timeout).thenCombine(answers(second, timeout), Boolean::logicalAnd);
    }

    private static CompletableFuture<Boolean> answers(Supplier<CompletionStage<?>> probe, Duration timeout) {
        try {
            return probe.get().toCompletableFuture()
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((answer, failure) -> failure == null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }
}
