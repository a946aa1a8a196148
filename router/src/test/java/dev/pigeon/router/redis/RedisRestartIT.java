package dev.pigeon.router.redis;

import dev.pigeon.router.Delivery;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.storage.StorageUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static dev.pigeon.router.redis.RedisNodeBusIT.message;
import static dev.pigeon.router.redis.RedisPresenceIT.failureOf;
import static dev.pigeon.router.redis.RedisPresenceIT.join;
import static dev.pigeon.router.redis.RedisPresenceIT.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away and comes back empty (no persistence), under two nodes that keep their clients:
 * presence and the bus recover by themselves. Runs on a Redis of its own, so that taking it away
 * disturbs no other test.
 */
class RedisRestartIT {
    private static final String PREFIX = TestRedis.prefix(RedisRestartIT.class);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private ThrowawayRedis server;
    private RedissonClient redisA;
    private RedissonClient redisB;

    @BeforeEach
    void startRedis() throws IOException {
        server = ThrowawayRedis.start(dir);
        redisA = TestRedis.client(server.url());
        redisB = TestRedis.client(server.url());
    }

    @AfterEach
    void stopRedis() {
        redisA.shutdown();
        redisB.shutdown();
        server.close();
    }

    @Test
    void presenceAndBusRecoverWithoutNewClients() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Delivery> received = new CopyOnWriteArrayList<>();
        try (RedisPresence nodeA = presence(redisA, "node-a", meters);
             RedisPresence nodeB = presence(redisB, "node-b", meters);
             RedisNodeBus busA = RedisNodeBus.create(redisA, PREFIX, meters);
             RedisNodeBus busB = RedisNodeBus.create(redisB, PREFIX, meters)) {
            join(busB.subscribe("node-b", received::add).ready());
            SessionInfo alice = session("alice", "s1", "node-b", "ws");
            join(nodeB.register(alice));
            assertThat(join(nodeA.sessions(List.of("alice"))).get("alice")).containsExactly(alice);
            busA.publish("node-b", message("alice", 1));
            await().atMost(RECOVERY).until(() -> received.size() == 1);

            server.stop();
            assertThat(failureOf(nodeA.sessions(List.of("alice")))).isInstanceOf(StorageUnavailableException.class);
            server.startAgain(); // empty: every key is gone

            // node-b's next beat finds itself forgotten and writes its session back
            await().atMost(RECOVERY).ignoreExceptions()
                    .until(() -> join(nodeA.sessions(List.of("alice"))).get("alice").equals(List.of(alice)));
            await().atMost(RECOVERY).ignoreExceptions().until(() -> join(nodeA.stats()).sessions() == 1);
            // Redisson reconnects and subscribes node-b's channel again by itself
            AtomicLong seq = new AtomicLong(1);
            await().atMost(RECOVERY).until(() -> {
                busA.publish("node-b", message("alice", seq.incrementAndGet()));
                return received.size() > 1;
            });
        }
    }

    private static RedisPresence presence(RedissonClient redis, String node, SimpleMeterRegistry meters) {
        return RedisPresence.builder(redis).prefix(PREFIX).nodeId(node).heartbeat(Duration.ofMillis(600))
                .meterRegistry(meters).build();
    }
}
