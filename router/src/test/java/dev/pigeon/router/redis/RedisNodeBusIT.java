package dev.pigeon.router.redis;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.Delivery;
import dev.pigeon.storage.InboxEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.pigeon.router.redis.RedisPresenceIT.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisNodeBusIT {
    private static final String PREFIX = TestRedis.prefix(RedisNodeBusIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static RedissonClient redisA;
    private static RedissonClient redisB;

    private final SimpleMeterRegistry metersA = new SimpleMeterRegistry();
    private final SimpleMeterRegistry metersB = new SimpleMeterRegistry();
    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private RedisNodeBus busA;
    private RedisNodeBus busB;

    @BeforeAll
    static void connect() {
        redisA = TestRedis.client();
        redisB = TestRedis.client();
    }

    @AfterAll
    static void disconnect() {
        redisA.shutdown();
        redisB.shutdown();
    }

    @BeforeEach
    void buses() {
        busA = RedisNodeBus.create(redisA, PREFIX, metersA);
        busB = RedisNodeBus.create(redisB, PREFIX, metersB);
    }

    @AfterEach
    void closeBuses() {
        busA.close();
        busB.close();
    }

    @Test
    void groupChangesReachEveryNodeTheAnnouncingOneIncluded() {
        List<String> seenByA = new CopyOnWriteArrayList<>();
        List<String> seenByB = new CopyOnWriteArrayList<>();
        join(busA.subscribeGroupChanges(seenByA::add).ready());
        join(busB.subscribeGroupChanges(seenByB::add).ready());

        busA.announceGroupChange("team");
        busB.announceGroupChange("r\u00e9seau");

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(seenByA).containsExactlyInAnyOrder("team", "r\u00e9seau");
            assertThat(seenByB).containsExactlyInAnyOrder("team", "r\u00e9seau");
        });
        // a node's deliveries and the group changes are separate channels
        assertThat(received).isEmpty();
    }

    @Test
    void everyKindOfDeliveryCrossesIntact() {
        join(busB.subscribe("node-b", this::collect).ready());
        List<Delivery> sent = List.of(
                message("bob", 7),
                new Delivery.Message("bob", new InboxEntry(8, new LogEntry("g:team", 3, "alice", "m-8",
                        "formatted \u00e9\u4e2d \"quoted\"\n", "markdown", 1_700_000_000_123L))),
                new Delivery.Receipt("bob", new Frame.Receipt("dm:alice:bob", "alice", 41)),
                new Delivery.Disconnect("bob", "operator"),
                new Delivery.Disconnect("bob", null));

        sent.forEach(delivery -> busA.publish("node-b", delivery));

        await().atMost(PATIENCE).until(() -> received.size() == sent.size());
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(threads).allMatch(thread -> thread.getName().startsWith("redisson"));
        assertThat(metersA.get("pigeon.bus.published").tag("outcome", "heard").counter().count()).isEqualTo(sent.size());
        assertThat(metersB.get("pigeon.bus.received").counter().count()).isEqualTo(sent.size());
    }

    @Test
    void deliveriesToOneNodeArriveInPublishOrder() {
        join(busB.subscribe("node-b", this::collect).ready());

        IntStream.rangeClosed(1, 2_000).forEach(seq -> busA.publish("node-b", message("bob", seq)));

        await().atMost(PATIENCE).until(() -> received.size() == 2_000);
        assertThat(received).extracting(delivery -> ((Delivery.Message) delivery).entry().seq())
                .isEqualTo(IntStream.rangeClosed(1, 2_000).mapToObj(Long::valueOf).toList());
    }

    @Test
    void aDeliveryToANodeNobodyListensForIsLost() {
        busA.publish("node-x", message("bob", 1));
        await().atMost(PATIENCE).until(() -> published("unheard") == 1);

        join(busB.subscribe("node-x", this::collect).ready());
        busA.publish("node-x", message("bob", 2));

        await().atMost(PATIENCE).until(() -> received.size() == 1);
        assertThat(received).containsExactly(message("bob", 2));
    }

    @Test
    void eachNodeHearsOnlyItsOwnChannel() {
        List<Delivery> onC = new CopyOnWriteArrayList<>();
        join(busB.subscribe("node-b", this::collect).ready());
        join(busA.subscribe("node-c", onC::add).ready());

        busA.publish("node-c", message("carol", 1));
        busA.publish("node-b", message("bob", 1));

        await().atMost(PATIENCE).until(() -> received.size() == 1 && onC.size() == 1);
        assertThat(received).containsExactly(message("bob", 1));
        assertThat(onC).containsExactly(message("carol", 1));
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        RedisNodeBus.Subscription subscription = busB.subscribe("node-b", this::collect);
        join(subscription.ready());
        busA.publish("node-b", message("bob", 1));
        await().atMost(PATIENCE).until(() -> received.size() == 1);

        subscription.close();

        await().atMost(PATIENCE).until(() -> {
            busA.publish("node-b", message("bob", 2));
            return published("unheard") > 0;
        });
        assertThat(received).containsExactly(message("bob", 1));
    }

    @Test
    void theConfirmedSubscriptionIsAnnouncedOnceAndHeardFromThen() {
        AtomicInteger announced = new AtomicInteger();
        RedisNodeBus.Subscription subscription = busB.subscribe("node-b", this::collect, () -> {
            announced.incrementAndGet();
            busA.publish("node-b", message("bob", 1)); // a catch-up's inbox read may already find this
        });

        await().atMost(PATIENCE).until(() -> received.size() == 1);
        assertThat(subscription.ready()).isDone();
        assertThat(announced.get()).isEqualTo(1);
    }

    @Test
    void aNodeListensOnlyFromTheConfirmedSubscriptionUntilItCloses() {
        assertThat(busB.listening("node-b")).isFalse();

        RedisNodeBus.Subscription subscription = busB.subscribe("node-b", this::collect);
        join(subscription.ready());

        assertThat(busB.listening("node-b")).isTrue();
        assertThat(busB.listening("node-c")).isFalse();
        assertThat(busA.listening("node-b")).as("another bus's subscription").isFalse();

        subscription.close();

        assertThat(busB.listening("node-b")).isFalse();
    }

    @Test
    void malformedPayloadsAreDroppedAndCountedAndTheNextDeliveryArrives() {
        join(busB.subscribe("node-b", this::collect).ready());
        var channel = redisA.getShardedTopic(RedisKeys.of(PREFIX).bus("node-b"), StringCodec.INSTANCE);
        channel.publish("not json");
        channel.publish("[1,2]");
        channel.publish("{\"kind\":\"message\",\"user\":\"bob\",\"seq\":\"1\",\"entry\":{}}");
        channel.publish("{\"kind\":\"message\",\"user\":\"bob\",\"seq\":1,\"entry\":{\"conversation\":\"dm:a:b\"}}");
        channel.publish("{\"kind\":\"receipt\",\"user\":\"bob\",\"receipt\":{\"type\":\"msg\"}}");
        channel.publish("{\"kind\":\"teleport\",\"user\":\"bob\"}");
        channel.publish("{\"kind\":\"disconnect\"}");
        channel.publish("[".repeat(10_000));

        busA.publish("node-b", message("bob", 1));

        await().atMost(PATIENCE).until(() -> received.size() == 1);
        assertThat(received).containsExactly(message("bob", 1));
        assertThat(metersB.get("pigeon.bus.malformed").counter().count()).isEqualTo(8);
    }

    @Test
    void aFailingHandlerDoesNotStopTheSubscription() {
        join(busB.subscribe("node-b", delivery -> {
            collect(delivery);
            throw new IllegalStateException("session gone");
        }).ready());

        busA.publish("node-b", message("bob", 1));
        busA.publish("node-b", message("bob", 2));

        await().atMost(PATIENCE).until(() -> received.size() == 2);
    }

    private void collect(Delivery delivery) {
        threads.add(Thread.currentThread());
        received.add(delivery);
    }

    private double published(String outcome) {
        return metersA.get("pigeon.bus.published").tag("outcome", outcome).counter().count();
    }

    static Delivery.Message message(String user, long seq) {
        return new Delivery.Message(user, new InboxEntry(seq,
                new LogEntry("dm:alice:" + user, seq, "alice", "m-" + seq, "hello " + seq, null, 1_700_000_000_000L + seq)));
    }
}
