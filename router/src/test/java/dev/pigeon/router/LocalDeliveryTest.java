package dev.pigeon.router;

import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.pigeon.router.RouterFixture.await;
import static dev.pigeon.router.RouterFixture.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A send reaches the sessions of the node it was sent through directly, without presence or the
 * bus, so that they stay live while Redis (presence and bus) is away; and when a node's bus
 * subscription comes back, its sessions are told to catch up from their inboxes as soon as presence
 * names the node again.
 */
class LocalDeliveryTest {
    /** Long enough that a hanging presence never times out while a test runs. */
    private static final Duration STORAGE_TIMEOUT = Duration.ofMinutes(10);

    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create(new RouterLimits(20, 1000, 1000, STORAGE_TIMEOUT));

    private final SwitchablePresence presence = new SwitchablePresence(fixture.presence);

    @Test
    void whilePresenceFailsTheSessionsOfTheSendersNodeStillGetTheMessage() {
        DefaultRouter senders = fixture.router("node-a", presence, fixture.bus);
        DefaultRouter other = fixture.router("node-b");
        CollectingSink alice = connect(senders, "alice", "a1", "node-a");
        CollectingSink bobHere = connect(senders, "bob", "b1", "node-a");
        CollectingSink bobThere = connect(other, "bob", "b2", "node-b");
        presence.fail();

        Frame.Sent sent = await(senders.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "hi", null)));

        for (CollectingSink sink : List.of(alice, bobHere)) {
            await().atMost(patience()).until(() -> sink.received(Delivery.Message.class).size() == 1);
        }
        assertThat(alice.received(Delivery.Message.class).get(0).entry().seq()).isEqualTo(sent.seq());
        await().atMost(patience()).until(() -> failures() == 1);
        assertThat(bobThere.received()).as("another node's session, reachable only through presence").isEmpty();
    }

    @Test
    void aHangingPresenceDoesNotHoldUpTheSessionsOfTheSendersNode() {
        DefaultRouter senders = fixture.router("node-a", presence, fixture.bus);
        CollectingSink alice = connect(senders, "alice", "a1", "node-a");
        CollectingSink bob = connect(senders, "bob", "b1", "node-a");
        presence.hang();

        await(senders.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "hi", null)));

        for (CollectingSink sink : List.of(alice, bob)) {
            await().atMost(patience()).until(() -> sink.received(Delivery.Message.class).size() == 1);
        }
        await().atMost(patience()).until(() -> presence.lookupsStarted.get() == 1);
        assertThat(failures()).as("the lookup is still pending").isZero();
    }

    @Test
    void theSendersNodeIsNeverPublishedToOnTheBusAndItsSessionsGetEachMessageOnce() {
        RecordingBus bus = new RecordingBus(fixture.bus);
        DefaultRouter senders = fixture.router("node-a", fixture.presence, bus);
        DefaultRouter other = fixture.router("node-b");
        CollectingSink alice = connect(senders, "alice", "a1", "node-a");
        CollectingSink bobHere = connect(senders, "bob", "b1", "node-a");
        CollectingSink bobThere = connect(other, "bob", "b2", "node-b");

        for (int i = 1; i <= 3; i++) {
            await(senders.send("alice", new Frame.Send(null, "m" + i, "dm:alice:bob", null, "n" + i, null)));
        }

        for (CollectingSink sink : List.of(alice, bobHere, bobThere)) {
            await().atMost(patience()).until(() -> sink.received(Delivery.Message.class).size() == 3);
            assertThat(sink.received(Delivery.Message.class)).extracting(message -> message.entry().seq())
                    .containsExactly(1L, 2L, 3L);
        }
        assertThat(bus.published).extracting(Published::node).containsOnly("node-b").hasSize(3);
        assertThat(bus.published).extracting(published -> published.delivery().user()).containsOnly("bob");
    }

    @Test
    void whenTheBusSubscriptionComesBackEverySessionOfTheNodeIsToldToCatchUp() {
        RecordingBus bus = new RecordingBus(fixture.bus);
        DefaultRouter node = fixture.router("node-a", fixture.presence, bus);
        DefaultRouter other = fixture.router("node-b");
        CollectingSink alicePhone = connect(node, "alice", "a1", "node-a");
        CollectingSink aliceLaptop = connect(node, "alice", "a2", "node-a");
        CollectingSink bob = connect(node, "bob", "b1", "node-a");
        CollectingSink carol = connect(other, "carol", "c1", "node-b");
        assertThat(bus.onListening).as("node-a's subscription and its hook").hasSize(1);

        bus.onListening.get(0).run();

        await().atMost(patience()).until(() -> !bob.received().isEmpty() && !alicePhone.received().isEmpty()
                && !aliceLaptop.received().isEmpty());
        assertThat(alicePhone.received()).containsExactly(new Delivery.CatchUp("alice"));
        assertThat(aliceLaptop.received()).containsExactly(new Delivery.CatchUp("alice"));
        assertThat(bob.received()).containsExactly(new Delivery.CatchUp("bob"));
        assertThat(carol.received()).as("a session of another node").isEmpty();
        assertThat(fixture.meters.get("pigeon.router.catchups").tag("node", "node-a").counter().count()).isEqualTo(1);
    }

    @Test
    void afterTheBusComesBackTheSessionsCatchUpOnlyOncePresenceNamesTheirNodeAgain() {
        RecordingBus bus = new RecordingBus(fixture.bus);
        DefaultRouter node = fixture.router("node-a", presence, bus);
        CollectingSink alice = connect(node, "alice", "a1", "node-a");
        presence.fail();

        bus.onListening.get(0).run();

        await().atMost(patience()).until(() -> presence.lookupsStarted.get() >= 2);
        presence.forget(); // Redis is back, empty: node-a has not written its sessions back yet
        int lookups = presence.lookupsStarted.get();
        await().atMost(patience()).until(() -> presence.lookupsStarted.get() >= lookups + 2);
        assertThat(alice.received()).as("a catch-up before other nodes can find alice would be too early").isEmpty();

        presence.restore();

        await().atMost(patience()).until(() -> !alice.received().isEmpty());
        assertThat(alice.received()).containsExactly(new Delivery.CatchUp("alice"));
    }

    @Test
    void aNodeWithoutSessionsHasNothingToCatchUp() {
        RecordingBus bus = new RecordingBus(fixture.bus);
        fixture.router("node-a", presence, bus);

        bus.onListening.get(0).run();

        assertThat(presence.lookupsStarted.get()).isZero();
        assertThat(fixture.meters.get("pigeon.router.catchups").tag("node", "node-a").counter().count()).isZero();
    }

    private CollectingSink connect(DefaultRouter router, String user, String session, String node) {
        CollectingSink sink = new CollectingSink();
        await(router.connect(fixture.session(user, session, node), sink));
        return sink;
    }

    private double failures() {
        return fixture.meters.get("pigeon.router.fanout.failures").counter().count();
    }

    /** Presence that works, or (as when Redis is away or came back empty) fails, hangs or forgets in its lookups. */
    private static final class SwitchablePresence implements Presence {
        private final Presence delegate;
        private volatile CompletableFuture<Map<String, List<SessionInfo>>> answer;
        final AtomicInteger lookupsStarted = new AtomicInteger();

        SwitchablePresence(Presence delegate) {
            this.delegate = delegate;
        }

        void fail() {
            answer = CompletableFuture.failedFuture(new IllegalStateException("presence is down"));
        }

        void hang() {
            answer = new CompletableFuture<>();
        }

        /** Answers, but knows no session (Redis restarted empty). */
        void forget() {
            answer = CompletableFuture.completedFuture(Map.of());
        }

        void restore() {
            answer = null;
        }

        @Override
        public CompletionStage<Void> register(SessionInfo session) {
            return delegate.register(session);
        }

        @Override
        public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
            return delegate.refresh(sessions);
        }

        @Override
        public CompletionStage<Void> unregister(SessionInfo session) {
            return delegate.unregister(session);
        }

        @Override
        public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users) {
            lookupsStarted.incrementAndGet();
            CompletableFuture<Map<String, List<SessionInfo>>> broken = answer;
            return broken != null ? broken : delegate.sessions(users);
        }

        @Override
        public CompletionStage<PresenceStats> stats() {
            return delegate.stats();
        }
    }

    private record Published(String node, Delivery delivery) {
    }

    /** The in-process bus, recording what is published on it and the subscribers' {@code onListening} hooks. */
    private static final class RecordingBus implements NodeBus {
        private final NodeBus delegate;
        final List<Published> published = new CopyOnWriteArrayList<>();
        final List<Runnable> onListening = new CopyOnWriteArrayList<>();

        RecordingBus(NodeBus delegate) {
            this.delegate = delegate;
        }

        @Override
        public void publish(String node, Delivery delivery) {
            published.add(new Published(node, delivery));
            delegate.publish(node, delivery);
        }

        @Override
        public AutoCloseable subscribe(String node, Consumer<Delivery> handler) {
            return delegate.subscribe(node, handler);
        }

        @Override
        public AutoCloseable subscribe(String node, Consumer<Delivery> handler, Runnable onListening) {
            this.onListening.add(onListening);
            return delegate.subscribe(node, handler, onListening);
        }

        @Override
        public void announceGroupChange(String group) {
            delegate.announceGroupChange(group);
        }

        @Override
        public AutoCloseable subscribeGroupChanges(Consumer<String> handler) {
            return delegate.subscribeGroupChanges(handler);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
