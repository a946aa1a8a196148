package dev.pigeon.router.redis;

import dev.pigeon.router.PresenceStats;
import io.micrometer.core.instrument.Counter;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Presence figures over every live node, from what each node writes on its beat: its session
 * counts (in its liveness key) and its users (a HyperLogLog, merged by one PFCOUNT so a user on
 * several nodes counts once; the count is exact for small numbers and within about 1% beyond).
 * The figures are as fresh as the nodes' last beats; {@code byNode} names every live node, even one
 * without sessions. Nodes found dead are dropped from the node set.
 */
final class ClusterStats {
    private static final Logger log = LoggerFactory.getLogger(ClusterStats.class);
    private static final PresenceStats NOBODY = new PresenceStats(0, 0, Map.of(), Map.of(), Map.of());

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final Counter malformed;

    ClusterStats(RedissonClient redis, RedisKeys keys, Counter malformed) {
        this.redis = redis;
        this.keys = keys;
        this.malformed = malformed;
    }

    CompletionStage<PresenceStats> read() {
        RSet<String> registry = redis.getSet(keys.nodes(), StringCodec.INSTANCE);
        return registry.readAllAsync().thenCompose(this::countsOf).thenCompose(live -> {
            if (live.isEmpty()) {
                return CompletableFuture.completedFuture(NOBODY);
            }
            return distinctUsers(List.copyOf(live.keySet())).thenApply(users -> aggregate(users, live));
        });
    }

    /** The counts of each live node among {@code nodes}; the dead ones leave the node set. */
    private CompletionStage<Map<String, NodeCounts>> countsOf(Set<String> nodes) {
        if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> named = List.copyOf(nodes);
        RBatch batch = redis.createBatch();
        List<RFuture<String>> reads = new ArrayList<>(named.size());
        for (String node : named) {
            reads.add(batch.<String>getBucket(keys.node(node), StringCodec.INSTANCE).getAsync());
        }
        return RedisCalls.execute(batch, reads).thenApply(done -> {
            Map<String, NodeCounts> live = new TreeMap<>();
            List<String> dead = new ArrayList<>();
            for (int i = 0; i < named.size(); i++) {
                String node = named.get(i);
                String counts = reads.get(i).toCompletableFuture().join();
                if (counts == null) {
                    dead.add(node);
                    continue;
                }
                try {
                    live.put(node, NodeCounts.decode(counts));
                } catch (IllegalArgumentException e) {
                    malformed.increment();
                    log.warn("node {} has malformed counts in Redis: {}", node, e.getMessage());
                }
            }
            forget(dead);
            return live;
        });
    }

    /** A node that comes back right after this is added again by its next beat. */
    private void forget(List<String> dead) {
        if (dead.isEmpty()) {
            return;
        }
        redis.getSet(keys.nodes(), StringCodec.INSTANCE).removeAllAsync(dead).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.debug("dropping dead nodes {} from the node set failed", dead, failure);
            }
        });
    }

    private CompletionStage<Long> distinctUsers(List<String> nodes) {
        String[] others = nodes.stream().skip(1).map(keys::nodeUsers).toArray(String[]::new);
        return redis.getHyperLogLog(keys.nodeUsers(nodes.get(0)), StringCodec.INSTANCE).countWithAsync(others);
    }

    private static PresenceStats aggregate(long users, Map<String, NodeCounts> live) {
        long sessions = 0;
        Map<String, Long> byNode = new LinkedHashMap<>();
        Map<String, Long> byRegion = new TreeMap<>();
        Map<String, Long> byTransport = new TreeMap<>();
        for (Map.Entry<String, NodeCounts> node : live.entrySet()) {
            NodeCounts counts = node.getValue();
            sessions += counts.sessions();
            byNode.put(node.getKey(), counts.sessions());
            counts.byRegion().forEach((region, count) -> byRegion.merge(region, count, Long::sum));
            counts.byTransport().forEach((transport, count) -> byTransport.merge(transport, count, Long::sum));
        }
        return new PresenceStats(users, sessions, byRegion, byNode, byTransport);
    }
}
