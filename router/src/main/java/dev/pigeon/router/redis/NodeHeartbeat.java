package dev.pigeon.router.redis;

import dev.pigeon.router.SessionInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RBatch;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Keeps this node alive in Redis: every beat interval it renews its liveness key (holding its
 * session counts; TTL 1.5 intervals, see {@link Liveness}), its entry in the node set and its users
 * HyperLogLog. Lookups drop the sessions of a node whose key expired, so a node that dies vanishes
 * from presence within two intervals although its sessions' entries live for a minute. When a beat
 * finds the key gone (Redis restarted empty, or this node was too slow and was taken for dead) it
 * writes all its sessions back at once instead of waiting for their next refresh. Every call is
 * asynchronous; the one scheduler thread only starts beats.
 */
final class NodeHeartbeat {
    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);
    /** Replaces a node's users HyperLogLog in one step: ARGV[1] is the TTL in ms, the rest are users. */
    private static final String RECOUNT_USERS = """
            redis.call('DEL', KEYS[1])
            for i = 2, #ARGV, 1000 do
              redis.call('PFADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final String node;
    private final Duration ttl;
    private final OwnSessions sessions;
    private final Function<Collection<SessionInfo>, CompletionStage<Void>> rewrite;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<Void> firstBeat = new CompletableFuture<>();
    private final AtomicBoolean beating = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Counter failures;
    private final Counter rewrites;
    private volatile long countedVersion = -1;
    private volatile boolean failing;
    private volatile CompletableFuture<Void> lastBeat = CompletableFuture.completedFuture(null);

    /**
     * Starts beating at once. {@code rewrite} writes sessions to presence; it is called with every
     * session of this node when a beat finds that Redis forgot this node.
     */
    NodeHeartbeat(RedissonClient redis, RedisKeys keys, String node, Liveness liveness, OwnSessions sessions,
                  Function<Collection<SessionInfo>, CompletionStage<Void>> rewrite, MeterRegistry registry) {
        this.redis = redis;
        this.keys = keys;
        this.node = node;
        this.ttl = liveness.ttl();
        this.sessions = sessions;
        this.rewrite = rewrite;
        this.failures = Counter.builder("pigeon.presence.beat.failures")
                .description("node liveness beats that did not reach Redis")
                .tag("node", node)
                .register(registry);
        this.rewrites = Counter.builder("pigeon.presence.rewrites")
                .description("times a beat found this node gone from Redis and wrote its sessions back")
                .tag("node", node)
                .register(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pigeon-node-beat-" + node);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::beat, 0, liveness.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes once the first beat is over, whether it reached Redis or not. */
    CompletionStage<Void> firstBeat() {
        return firstBeat;
    }

    /**
     * Stops beating and removes this node from Redis, so its sessions drop out of lookups at once
     * (after any beat in flight, which would otherwise write the key back).
     */
    CompletionStage<Void> leave() {
        if (!closed.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        scheduler.shutdownNow();
        return lastBeat.handle((ignored, failure) -> null).thenCompose(ignored -> RedisCalls.call("leaving", () -> {
            RBatch batch = redis.createBatch();
            batch.getBucket(keys.node(node), StringCodec.INSTANCE).deleteAsync();
            batch.getSet(keys.nodes(), StringCodec.INSTANCE).removeAsync(node);
            batch.getHyperLogLog(keys.nodeUsers(node), StringCodec.INSTANCE).deleteAsync();
            return batch.executeAsync();
        })).thenApply(done -> null);
    }

    private void beat() {
        if (closed.get() || !beating.compareAndSet(false, true)) {
            return; // the previous beat is still waiting for Redis: do not pile up
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastBeat = done;
        try {
            long version = sessions.version();
            List<SessionInfo> own = sessions.snapshot();
            boolean recount = version != countedVersion;
            RBatch batch = redis.createBatch();
            RBucketAsync<String> liveness = batch.getBucket(keys.node(node), StringCodec.INSTANCE);
            RFuture<Boolean> existed = liveness.isExistsAsync();
            liveness.setAsync(NodeCounts.of(own).encode(), ttl);
            batch.getSet(keys.nodes(), StringCodec.INSTANCE).addAsync(node);
            if (recount) {
                batch.getScript(StringCodec.INSTANCE).evalAsync(keys.nodeUsers(node), RScript.Mode.READ_WRITE,
                        RECOUNT_USERS, RScript.ReturnType.LONG, List.of(keys.nodeUsers(node)), recountArguments(own));
            } else {
                batch.getHyperLogLog(keys.nodeUsers(node), StringCodec.INSTANCE).expireAsync(ttl);
            }
            RedisCalls.execute(batch, List.of(existed)).whenComplete((ignored, failure) -> {
                try {
                    if (failure == null) {
                        beaten(version, recount, existed.toCompletableFuture().join());
                    } else {
                        missed(failure);
                    }
                } finally {
                    beating.set(false);
                    firstBeat.complete(null);
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            missed(e);
            beating.set(false);
            firstBeat.complete(null);
            done.complete(null);
        }
    }

    private void beaten(long version, boolean recounted, boolean existed) {
        if (failing) {
            failing = false;
            log.info("node {} reaches Redis again", node);
        }
        if (recounted) {
            countedVersion = version;
        }
        if (!existed) {
            // Redis forgot this node: its sessions' entries are likely gone too, and so are its users
            countedVersion = -1;
            List<SessionInfo> own = sessions.snapshot();
            if (!own.isEmpty()) {
                rewrites.increment();
                log.info("node {} was gone from Redis; writing its {} sessions back", node, own.size());
                rewrite.apply(own).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("writing the sessions of node {} back failed; their next refresh will", node,
                                RedisCalls.unwrap(failure));
                    }
                });
            }
        }
    }

    private void missed(Throwable failure) {
        failures.increment();
        if (!failing) {
            failing = true;
            log.warn("node {} could not beat; other nodes take it for dead after {}", node, ttl,
                    RedisCalls.unwrap(failure));
        } else {
            log.debug("node {} could not beat", node, failure);
        }
    }

    private Object[] recountArguments(List<SessionInfo> own) {
        List<Object> arguments = new ArrayList<>();
        arguments.add(Long.toString(ttl.toMillis()));
        own.stream().map(SessionInfo::user).distinct().forEach(arguments::add);
        return arguments.toArray();
    }
}
