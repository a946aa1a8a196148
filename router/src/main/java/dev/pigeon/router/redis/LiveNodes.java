package dev.pigeon.router.redis;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which nodes still beat: those whose liveness key exists. A node found alive is trusted for half a
 * beat interval ({@link Liveness#trust()}) without asking again, so a lookup normally costs one round
 * trip; only "alive" is remembered, never "gone", so a node that comes back is seen at once. With
 * the key's TTL of 1.5 intervals, a node that stops beating drops out of lookups within two intervals
 * of its last beat. Trusting a dead node that long only sends a few deliveries into the void, which
 * the bus allows.
 */
final class LiveNodes {
    private final RedissonClient redis;
    private final RedisKeys keys;
    private final long trustNanos;
    /** When each node was last found alive, by {@link System#nanoTime()}: a wall clock stepping back must not stretch trust. */
    private final ConcurrentMap<String, Long> seenAliveAt = new ConcurrentHashMap<>();

    LiveNodes(RedissonClient redis, RedisKeys keys, Liveness liveness) {
        this.redis = redis;
        this.keys = keys;
        this.trustNanos = liveness.trust().toNanos();
    }

    /** The members of {@code nodes} that are alive. */
    CompletionStage<Set<String>> alive(Set<String> nodes) {
        long now = System.nanoTime();
        Set<String> alive = new HashSet<>();
        List<String> unsure = new ArrayList<>();
        for (String node : nodes) {
            Long seen = seenAliveAt.get(node);
            if (seen != null && now - seen < trustNanos) {
                alive.add(node);
            } else {
                unsure.add(node);
            }
        }
        if (unsure.isEmpty()) {
            return CompletableFuture.completedFuture(alive);
        }
        RBatch batch = redis.createBatch();
        List<RFuture<Boolean>> checks = new ArrayList<>(unsure.size());
        for (String node : unsure) {
            checks.add(batch.getBucket(keys.node(node), StringCodec.INSTANCE).isExistsAsync());
        }
        return RedisCalls.execute(batch, checks).thenApply(done -> {
            for (int i = 0; i < unsure.size(); i++) {
                String node = unsure.get(i);
                if (checks.get(i).toCompletableFuture().join()) {
                    alive.add(node);
                    seenAliveAt.put(node, now);
                } else {
                    seenAliveAt.remove(node);
                }
            }
            return alive;
        });
    }

    /** Stops trusting {@code node} (it left). */
    void forget(String node) {
        seenAliveAt.remove(node);
    }
}
