package dev.pigeon.router.redis;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which nodes still beat: those whose liveness key exists. A node found alive is trusted for one
 * beat interval without asking again, so a lookup normally costs one round trip; only "alive" is
 * remembered, never "gone", so a node that comes back is seen at once. The price: a node that
 * stops beating drops out of lookups within its liveness TTL plus one beat interval. Trusting a
 * dead node a little longer only sends a few deliveries into the void, which the bus allows.
 */
final class LiveNodes {
    private final RedissonClient redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final long trustMillis;
    private final ConcurrentMap<String, Long> seenAliveAt = new ConcurrentHashMap<>();

    LiveNodes(RedissonClient redis, RedisKeys keys, Clock clock, long trustMillis) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.trustMillis = trustMillis;
    }

    /** The members of {@code nodes} that are alive. */
    CompletionStage<Set<String>> alive(Set<String> nodes) {
        long now = clock.millis();
        Set<String> alive = new HashSet<>();
        List<String> unsure = new ArrayList<>();
        for (String node : nodes) {
            Long seen = seenAliveAt.get(node);
            if (seen != null && now - seen < trustMillis) {
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
