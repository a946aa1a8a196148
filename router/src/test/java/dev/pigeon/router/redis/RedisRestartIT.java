package dev.pigeon.router.redis;

import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.Frame;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
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
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void aSubscriptionRedissonRestoresAfterRedisReturnsIsAnnounced() {
        AtomicInteger announced = new AtomicInteger();
        List<Delivery> received = new CopyOnWriteArrayList<>();
        try (RedisNodeBus busA = RedisNodeBus.create(redisA, PREFIX, new SimpleMeterRegistry());
             RedisNodeBus busB = RedisNodeBus.create(redisB, PREFIX, new SimpleMeterRegistry())) {
            join(busB.subscribe("node-b", received::add, announced::incrementAndGet).ready());
            await().atMost(RECOVERY).until(() -> announced.get() == 1);

            server.stop();
            server.startAgain(); // whatever was published meanwhile is gone

            await().atMost(RECOVERY).until(() -> announced.get() == 2);
            AtomicLong seq = new AtomicLong();
            await().atMost(RECOVERY).until(() -> {
                busA.publish("node-b", message("alice", seq.incrementAndGet()));
                return !received.isEmpty();
            });
            assertThat(received).as("one listener, subscribed again once").doesNotHaveDuplicates();
            assertThat(announced.get()).isEqualTo(2);
        }
    }

    @Test
    void theSessionsOfANodeWhoseBusWasLostAreToldToCatchUpOnceTheNodeIsReachableAgain() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Delivery> bob = new CopyOnWriteArrayList<>();
        try (EmbeddedMessageStore store = EmbeddedMessageStore.open(dir.resolve("store"),
                EmbeddedStoreOptions.builder().syncWrites(false).build());
             RedisPresence presenceA = presence(redisA, "node-a", meters);
             RedisPresence presenceB = presence(redisB, "node-b", meters);
             RedisNodeBus busA = RedisNodeBus.create(redisA, PREFIX, meters);
             RedisNodeBus busB = RedisNodeBus.create(redisB, PREFIX, meters);
             DefaultRouter nodeA = router("node-a", store, presenceA, busA, meters);
             DefaultRouter nodeB = router("node-b", store, presenceB, busB, meters)) {
            join(nodeB.connect(session("bob", "b1", "node-b", "ws"), bob::add));
            await().atMost(RECOVERY).until(() -> busB.listening("node-b"));

            server.stop();
            join(nodeA.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "while Redis is away", null)));
            server.startAgain(); // empty: node-b's subscription and its presence entries come back in their own time

            await().atMost(RECOVERY).until(() -> bob.contains(new Delivery.CatchUp("bob")));
            assertThat(join(nodeB.head("bob"))).as("what bob's session reads on catching up").isEqualTo(1);
        }
    }

    private static DefaultRouter router(String node, MessageStore store, RedisPresence presence, RedisNodeBus bus,
                                        SimpleMeterRegistry meters) {
        return DefaultRouter.builder().nodeId(node).store(store).homes(new SingleRegionHomeDirectory("local"))
                .presence(presence).bus(bus).meterRegistry(meters).build();
    }

    private static RedisPresence presence(RedissonClient redis, String node, SimpleMeterRegistry meters) {
        return RedisPresence.builder(redis).prefix(PREFIX).nodeId(node).heartbeat(Duration.ofMillis(600))
                .meterRegistry(meters).build();
    }
}
