package dev.pigeon.gateway.session;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Delivery;
import dev.pigeon.storage.InboxEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The session core on an embedded event loop, against a router whose answers the test controls. */
class ClientSessionTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final int QUEUE_LIMIT = 4;
    private static final int PAGE = 2;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final FakeRouter router = new FakeRouter();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionTable table = new SessionTable(2);
    private SessionServices services;
    private FakeTransport transport;

    @BeforeEach
    void setUp() {
        channel.freezeTime();
        services = new SessionServices(router, new SingleRegionHomeDirectory("eu"), new FrameValidator(),
                new GatewayMetrics(registry), table, Clock.fixed(NOW, ZoneOffset.UTC), "node-7", "eu", QUEUE_LIMIT,
                Duration.ofMillis(100));
        transport = new FakeTransport(channel.eventLoop());
    }

    private ClientSession open(Long since) {
        return open(since, NOW.plusSeconds(3600));
    }

    private ClientSession open(Long since, Instant expiresAt) {
        ClientSession session = new ClientSession(services, new Principal("bob", null, expiresAt), transport, since,
                PAGE);
        assertThat(session.admit()).isTrue();
        session.open();
        run();
        return session;
    }

    /**
     * Runs what is due on the event loop. One pass runs the queued tasks, then the due scheduled ones;
     * tasks those queue in turn (answers of the router) need another pass.
     */
    private void run() {
        for (int pass = 0; pass < 3; pass++) {
            channel.runPendingTasks();
        }
    }

    private void deliver(InboxEntry entry) {
        router.sink.deliver(new Delivery.Message("bob", entry));
        run();
    }

    @Test
    void helloComesFirstAndNamesTheNodeTheHomeAndTheHead() {
        router.append("alice", "one");
        ClientSession session = open(null);
        assertThat(transport.hello).isEqualTo(new Frame.Hello(session.id(), "bob", "node-7", "eu", "eu", 1, 1, 25_000));
        assertThat(transport.helloPosition).isEqualTo(1);
        assertThat(router.connected.transport()).isEqualTo("ws");
        assertThat(router.connected.device()).as("one device per connection").isEqualTo(session.id());
        assertThat(transport.written).isEmpty();
    }

    @Test
    void withoutSinceOnlyEntriesAfterTheHeadAreWritten() {
        InboxEntry old = router.append("alice", "old");
        open(null);
        deliver(old);
        deliver(router.append("alice", "new"));
        assertThat(transport.seqs()).containsExactly(2L);
    }

    @Test
    void resumeReplaysPageByPageThenGoesLive() {
        for (int i = 0; i < 5; i++) {
            router.append("alice", "m" + i);
        }
        open(1L);
        assertThat(transport.helloPosition).isEqualTo(1);
        assertThat(transport.seqs()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(router.syncCalls).isEqualTo(2);
        deliver(router.append("alice", "live"));
        assertThat(transport.seqs()).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void sinceBeyondTheHeadCountsAsTheHead() {
        router.append("alice", "one");
        open(50L);
        assertThat(transport.helloPosition).isEqualTo(1);
        assertThat(router.syncCalls).isZero();
    }

    @Test
    void entriesArrivingDuringTheReplayAreNeitherLostNorRepeated() {
        for (int i = 0; i < 4; i++) {
            router.append("alice", "m" + i);
        }
        router.holdSyncs = true;
        open(0L);
        // while the first page is being read, three more messages arrive, one of them twice, out of order
        InboxEntry fifth = router.append("alice", "m5");
        InboxEntry sixth = router.append("alice", "m6");
        InboxEntry seventh = router.append("alice", "m7");
        deliver(sixth);
        deliver(fifth);
        deliver(seventh);
        deliver(sixth);
        while (!router.heldSyncs.isEmpty()) {
            router.releaseSync();
            run();
        }
        assertThat(transport.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void aGapInLiveDeliveriesIsFilledFromTheInbox() {
        open(null);
        InboxEntry first = router.append("alice", "lost on the bus");
        InboxEntry second = router.append("alice", "arrives");
        deliver(second);
        assertThat(transport.seqs()).containsExactly(first.seq(), second.seq());
        deliver(first);
        assertThat(transport.seqs()).as("a repeat is dropped").containsExactly(1L, 2L);
    }

    @Test
    void aCatchUpFillsFromTheInboxWhatTheBusLostWithoutWaitingForTheNextDelivery() {
        open(null);
        deliver(router.append("alice", "arrives"));
        router.append("alice", "lost on the bus");
        router.append("alice", "lost too");

        router.sink.deliver(new Delivery.CatchUp("bob"));
        run();

        assertThat(transport.seqs()).containsExactly(1L, 2L, 3L);
        deliver(router.inbox.get(2));
        assertThat(transport.seqs()).as("a late delivery of what was filled is dropped").containsExactly(1L, 2L, 3L);
    }

    @Test
    void aCatchUpWithNothingMissingReadsNoInbox() {
        open(null);
        deliver(router.append("alice", "arrives"));

        router.sink.deliver(new Delivery.CatchUp("bob"));
        run();

        assertThat(router.syncCalls).isZero();
        assertThat(transport.seqs()).containsExactly(1L);
    }

    @Test
    void aGapTheInboxDoesNotShowYetIsReadAgainShortly() {
        open(null);
        router.append("alice", "behind");
        InboxEntry second = router.append("alice", "ahead");
        router.visibleUpTo = 0;
        deliver(second);
        assertThat(transport.seqs()).isEmpty();
        router.visibleUpTo = Long.MAX_VALUE;
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        run();
        assertThat(transport.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void aGapThatNeverFillsEndsTheSessionAsUnavailable() {
        open(null);
        router.append("alice", "never visible");
        router.visibleUpTo = 0;
        deliver(router.append("alice", "ahead"));
        for (int i = 0; i < 60 && transport.ended == null; i++) {
            channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            run();
        }
        assertThat(transport.ended).isEqualTo(SessionEnd.UNAVAILABLE);
        assertThat(transport.seqs()).isEmpty();
        assertThat(transport.written).last().isInstanceOfSatisfying(Frame.Error.class,
                e -> assertThat(e.code()).isEqualTo("unavailable"));
    }

    @Test
    void framesAreHeldWhileTheChannelIsNotWritableAndWrittenInOrderAfter() {
        ClientSession session = open(null);
        transport.writable = false;
        deliver(router.append("alice", "a"));
        deliver(router.append("alice", "b"));
        session.onRequest(new Frame.Ping("p"));
        run();
        assertThat(transport.written).isEmpty();
        transport.writable = true;
        session.onWritabilityChanged();
        assertThat(transport.written).containsExactly(router.inbox.get(0).toMsg(), router.inbox.get(1).toMsg(),
                new Frame.Pong("p"));
    }

    @Test
    void theReplayPausesWhileTheChannelIsNotWritable() {
        for (int i = 0; i < 6; i++) {
            router.append("alice", "m" + i);
        }
        router.holdSyncs = true;
        ClientSession session = open(0L);
        transport.writable = false;
        router.releaseSync();
        run();
        assertThat(router.heldSyncs).as("no further page is read while nothing can be written").isEmpty();
        transport.writable = true;
        session.onWritabilityChanged();
        run();
        assertThat(router.heldSyncs).hasSize(1);
        router.holdSyncs = false;
        router.releaseSync();
        run();
        assertThat(transport.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 6).boxed().toList());
    }

    @Test
    void aReplayIntoAChannelThatKeepsFillingUpIsPacedNotClosed() {
        for (int i = 0; i < 10; i++) {
            router.append("alice", "m" + i);
        }
        transport.fillsOnWrite = true;
        ClientSession session = new ClientSession(services, new Principal("bob", null, NOW.plusSeconds(60)), transport,
                0L, 10); // asks for pages larger than the queue holds
        session.open();
        run();
        for (int round = 0; round < 20 && transport.seqs().size() < 10; round++) {
            transport.writable = true;
            session.onWritabilityChanged();
            run();
        }
        assertThat(transport.ended).isNull();
        assertThat(transport.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    @Test
    void aSlowConsumerIsClosedWhenTheQueueOverflows() {
        open(null);
        transport.writable = false;
        for (int i = 0; i <= QUEUE_LIMIT; i++) {
            deliver(router.append("alice", "m" + i));
        }
        assertThat(transport.ended).isEqualTo(SessionEnd.SLOW_CONSUMER);
        assertThat(transport.written).as("held frames are dropped: the client resumes").isEmpty();
        assertThat(router.registrationClosed).isTrue();
        assertThat(registry.counter("pigeon.gateway.slow.consumer.disconnects", "transport", "ws").count()).isEqualTo(1);
        assertThat(registry.get("pigeon.gateway.sessions").tag("transport", "ws").gauge().value()).isZero();
    }

    @Test
    void requestsAreAnsweredWithTheirRef() {
        ClientSession session = open(null);
        session.onRequest(new Frame.Ping("p1"));
        session.onRequest(new Frame.Send(null, "m1", null, "alice", "hi", null));
        session.onRequest(new Frame.Ack("a1", 3L));
        session.onRequest(new Frame.Sync("s1", 0L, null));
        run();
        assertThat(transport.written).containsExactly(new Frame.Pong("p1"),
                new Frame.Sent("m1", "m1", "dm:alice:bob", 1, 1, 5), new Frame.Synced("s1", 0));
        assertThat(router.acks).containsExactly(session.id() + ":3");
        assertThat(router.touches).isEqualTo(4);
    }

    @Test
    void invalidRequestsGetAnErrorAndTheSessionGoesOn() {
        ClientSession session = open(null);
        session.onRequest(new Frame.Send("r1", "m1", null, null, "no conversation", null));
        session.onRequest(new Frame.Send(null, "m2", null, "alice", "x".repeat(70_000), null));
        session.onBadRequest(ProtocolException.badRequest("malformed JSON"));
        run();
        assertThat(transport.written).extracting(f -> ((Frame.Error) f).code() + " " + f.ref())
                .containsExactly("bad_request r1", "too_large m2", "bad_request null");
        assertThat(transport.ended).isNull();
    }

    @Test
    void failedRequestsCarryTheirRef() {
        ClientSession session = open(null);
        router.holdSends = true;
        session.onRequest(new Frame.Send("r9", "m9", null, "alice", "hi", null));
        run();
        router.heldSends.poll().completeExceptionally(ProtocolException.forbidden("not a member"));
        run();
        assertThat(transport.written).containsExactly(new Frame.Error("forbidden", "not a member", "r9"));
    }

    @Test
    void drainingWaitsForRequestsInFlightThenEndsWithRestart() {
        ClientSession session = open(null);
        router.holdSends = true;
        session.onRequest(new Frame.Send(null, "m1", null, "alice", "hi", null));
        run();
        session.requestDrain();
        run();
        assertThat(transport.ended).isNull();
        session.onRequest(new Frame.Ping("late"));
        router.heldSends.poll().complete(new Frame.Sent("m1", "m1", "dm:alice:bob", 1, 1, 5));
        run();
        assertThat(transport.ended).isEqualTo(SessionEnd.RESTART);
        assertThat(transport.written).containsExactly(
                new Frame.Error("unavailable", "the server is restarting; reconnect", "late"),
                new Frame.Sent("m1", "m1", "dm:alice:bob", 1, 1, 5));
    }

    @Test
    void theSessionEndsWhenItsTokenExpires() {
        open(null, NOW.plusSeconds(30));
        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        run();
        assertThat(transport.ended).isNull();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        run();
        assertThat(transport.ended).isEqualTo(SessionEnd.TOKEN_EXPIRED);
    }

    @Test
    void anOperatorDisconnectEndsTheSession() {
        open(null);
        router.sink.deliver(new Delivery.Disconnect("bob", "operator"));
        run();
        assertThat(transport.ended).isEqualTo(SessionEnd.DISCONNECTED);
    }

    @Test
    void receiptsThatArriveWhileOpeningFollowTheHello() {
        router.connectResult = new CompletableFuture<>();
        ClientSession session = new ClientSession(services, new Principal("bob", "phone", NOW.plusSeconds(60)),
                transport, null, PAGE);
        session.open();
        run();
        Frame.Receipt receipt = new Frame.Receipt("dm:alice:bob", "alice", 3);
        router.sink.deliver(new Delivery.Receipt("bob", receipt));
        run();
        assertThat(transport.written).isEmpty();
        router.connectResult.complete(new NoopRegistration());
        run();
        assertThat(transport.hello).isNotNull();
        assertThat(transport.written).containsExactly(receipt);
        assertThat(router.connected.device()).isEqualTo("phone");
    }

    @Test
    void aRouterThatCannotAttachEndsTheSessionAsUnavailable() {
        router.connectResult = CompletableFuture.failedFuture(ProtocolException.unavailable("presence is down"));
        open(null);
        assertThat(transport.hello).isNull();
        assertThat(transport.written).containsExactly(new Frame.Error("unavailable", "presence is down", null));
        assertThat(transport.ended).isEqualTo(SessionEnd.UNAVAILABLE);
    }

    @Test
    void aSessionThatEndsWhileAttachingDetachesAgain() {
        router.connectResult = new CompletableFuture<>();
        ClientSession session = open(null);
        session.onTransportClosed();
        NoopRegistration registration = new NoopRegistration();
        router.connectResult.complete(registration);
        run();
        assertThat(registration.closed).isTrue();
        assertThat(transport.hello).isNull();
    }

    @Test
    void theTableLimitsSessionsPerUser() {
        ClientSession first = new ClientSession(services, new Principal("bob", null, NOW.plusSeconds(60)), transport,
                null, PAGE);
        ClientSession second = new ClientSession(services, new Principal("bob", null, NOW.plusSeconds(60)), transport,
                null, PAGE);
        ClientSession third = new ClientSession(services, new Principal("bob", null, NOW.plusSeconds(60)), transport,
                null, PAGE);
        assertThat(List.of(first.admit(), second.admit(), third.admit())).containsExactly(true, true, false);
        first.end(SessionEnd.CLIENT_GONE);
        assertThat(third.admit()).isTrue();
    }

    private static final class NoopRegistration implements dev.pigeon.router.SessionRegistration {
        boolean closed;

        @Override
        public void touch() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
