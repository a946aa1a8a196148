package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.NodeBus;
import dev.pigeon.router.redis.RedisNodeBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node bus may lose a delivery; the inbox is the truth. Node 2's bus drops, on purpose, two of
 * every three messages arriving for bob (every one whose {@code seq} is not a multiple of three, the
 * first ones included). Alice on node 1 and bob on node 2 talk, each sending through their own
 * node. Bob's session still receives every message exactly once in {@code seq} order: each live one
 * that arrives shows the gap before it, which the session fills from the inbox before writing it.
 */
class ClusterBusLossIT {
    private static final NodeClient client = new NodeClient("cluster-bus-loss-it-secret", "cluster-bus-loss-it-admin");
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final String DM = "dm:alice:bob";
    /** A multiple of three, so the last message is one that arrives live and shows the final gap. */
    private static final int MESSAGES = 30;

    private static TestServices services;
    private static final List<ClusterNode> nodes = new ArrayList<>();
    private static final List<WebSocket> sockets = new ArrayList<>();
    private static final List<LossyBus> buses = new ArrayList<>();
    private static final LossyBus.Drops dropsForBob =
            new LossyBus.Drops(delivery -> delivery instanceof Delivery.Message message
                    && message.user().equals(BOB) && message.entry().seq() % 3 != 0);

    @BeforeAll
    static void startTwoNodes() {
        services = TestServices.forOneTestClass();
        startNode(1, new LossyBus.Drops(delivery -> false));
        startNode(2, dropsForBob);
    }

    private static void startNode(int n, LossyBus.Drops drops) {
        PigeonConfig config = client.config(services, "it-loss-" + n + "-" + services.run(),
                NodeClient.UNLIMITED_SENDS);
        nodes.add(ClusterNode.start(config, bus -> {
            LossyBus lossy = new LossyBus(bus, drops);
            buses.add(lossy);
            return lossy;
        }));
    }

    @AfterAll
    static void stopAndCleanUp() {
        if (services != null) {
            services.stopThenCleanUp(sockets, nodes);
        }
    }

    @Test
    void aSessionFillsEveryGapTheBusLeavesFromTheInboxAndGetsEachMessageOnceInOrder() throws Exception {
        Frames aliceFrames = new Frames();
        Frames bobFrames = new Frames();
        sockets.add(client.connect(nodes.get(0).port(), client.token(ALICE), aliceFrames));
        sockets.add(client.connect(nodes.get(1).port(), client.token(BOB), bobFrames));
        assertThat(aliceFrames.next().get("type").asText()).isEqualTo("hello");
        assertThat(bobFrames.next().get("type").asText()).isEqualTo("hello");
        // every delivery from now on reaches the buses, so the drops counted are exactly the ones chosen
        for (LossyBus bus : buses) {
            bus.subscribed().toCompletableFuture().get(NodeClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        // one send at a time, so that both inboxes take the messages in the order of the log
        List<AckedSend> sent = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            boolean fromBob = i % 4 == 0;
            String sender = fromBob ? BOB : ALICE;
            String body = "#" + i + " from " + sender;
            JsonNode answer = client.send(nodes.get(fromBob ? 1 : 0).port(), client.token(sender),
                    Map.of("type", "send", "id", sender + "-" + i, "conversation", DM, "body", body));
            sent.add(AckedSend.of(sender, body, answer));
        }

        await("bob has every message").atMost(NodeClient.WAIT).untilAsserted(() ->
                assertThat(bobFrames.ofType("msg")).hasSizeGreaterThanOrEqualTo(MESSAGES));
        await("alice has every message").atMost(NodeClient.WAIT).untilAsserted(() ->
                assertThat(aliceFrames.ofType("msg")).hasSizeGreaterThanOrEqualTo(MESSAGES));

        // bob's own sends reach his session within node 2, without the bus: only alice's can be dropped
        long chosen = sent.stream().filter(send -> send.from().equals(ALICE) && send.convSeq() % 3 != 0).count();
        // a gap fill may have read entries from the inbox before their deliveries arrived (to be dropped)
        await("every chosen delivery dropped").atMost(NodeClient.WAIT).untilAsserted(() ->
                assertThat(dropsForBob.count()).isEqualTo(chosen));
        Timelines.assertReceivedInOrder(BOB, bobFrames.ofType("msg"), sent, 1);
        Timelines.assertReceivedInOrder(ALICE, aliceFrames.ofType("msg"), sent, 1);
        assertThat(bobFrames.ofType("error")).as("errors bob's session got").isEmpty();
    }

    /** A node bus that loses, on the receiving side, the deliveries {@link Drops} picks. */
    private static final class LossyBus implements NodeBus {
        private final NodeBus bus;
        private final Drops drops;
        private final CompletableFuture<RedisNodeBus.Subscription> subscription = new CompletableFuture<>();

        LossyBus(NodeBus bus, Drops drops) {
            this.bus = bus;
            this.drops = drops;
        }

        @Override
        public void publish(String node, Delivery delivery) {
            bus.publish(node, delivery);
        }

        @Override
        public AutoCloseable subscribe(String node, Consumer<Delivery> handler) {
            AutoCloseable subscribed = bus.subscribe(node, delivery -> {
                if (!drops.take(delivery)) {
                    handler.accept(delivery);
                }
            });
            subscription.complete((RedisNodeBus.Subscription) subscribed);
            return subscribed;
        }

        @Override
        public void announceGroupChange(String group) {
            bus.announceGroupChange(group);
        }

        @Override
        public AutoCloseable subscribeGroupChanges(Consumer<String> handler) {
            return bus.subscribeGroupChanges(handler);
        }

        /** Completes once Redis confirmed the node's subscription: deliveries published from then on arrive. */
        CompletionStage<Void> subscribed() {
            return subscription.thenCompose(RedisNodeBus.Subscription::ready);
        }

        @Override
        public void close() {
            bus.close();
        }

        /** Which deliveries to lose, and how many were. */
        record Drops(Predicate<Delivery> which, AtomicInteger dropped) {
            Drops(Predicate<Delivery> which) {
                this(which, new AtomicInteger());
            }

            /** True when {@code delivery} is to be lost (and counts it). */
            boolean take(Delivery delivery) {
                if (which.test(delivery)) {
                    dropped.incrementAndGet();
                    return true;
                }
                return false;
            }

            int count() {
                return dropped.get();
            }
        }
    }
}
