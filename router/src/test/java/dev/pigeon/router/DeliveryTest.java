package dev.pigeon.router;

import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static dev.pigeon.router.RouterFixture.await;
import static dev.pigeon.router.RouterFixture.failureOf;
import static dev.pigeon.router.RouterFixture.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeliveryTest {
    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create();

    @Test
    void sendReachesEveryLiveSessionOfEveryMemberOnWhateverNode() {
        DefaultRouter otherNode = fixture.router("node-2");
        CollectingSink alice = new CollectingSink();
        CollectingSink bobHere = new CollectingSink();
        CollectingSink bobPhone = new CollectingSink();
        CollectingSink bobThere = new CollectingSink();
        connect(fixture.router, fixture.session("alice", "a1"), alice);
        connect(fixture.router, fixture.session("bob", "b1"), bobHere);
        connect(fixture.router, fixture.session("bob", "b2"), bobPhone);
        connect(otherNode, fixture.session("bob", "b3", "node-2"), bobThere);

        Frame.Sent sent = fixture.send("alice", "dm:alice:bob", "m1", "hello");

        for (CollectingSink sink : List.of(alice, bobHere, bobPhone, bobThere)) {
            await().atMost(patience()).until(() -> sink.received(Delivery.Message.class).size() == 1);
        }
        Delivery.Message toAlice = alice.received(Delivery.Message.class).get(0);
        assertThat(toAlice.user()).isEqualTo("alice");
        assertThat(toAlice.entry().seq()).isEqualTo(sent.seq());
        assertThat(toAlice.entry().entry().body()).isEqualTo("hello");
        assertThat(bobThere.received(Delivery.Message.class).get(0).entry().entry().convSeq()).isEqualTo(1);
        // alice on node-1, bob on node-1 and node-2: one publish per (node, member)
        assertThat(fixture.meters.get("pigeon.router.deliveries").tag("kind", "message").counter().count()).isEqualTo(3);
    }

    @Test
    void sessionsOfTheSendersNodeAreCalledOnItsDeliveryThreadInSeqOrder() {
        CollectingSink bob = new CollectingSink();
        connect(fixture.router, fixture.session("bob", "b1"), bob);

        for (int i = 1; i <= 10; i++) {
            fixture.send("alice", "dm:alice:bob", "m" + i, "n" + i);
        }

        await().atMost(patience()).until(() -> bob.received().size() == 10);
        assertThat(bob.received(Delivery.Message.class)).extracting(m -> m.entry().seq())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(bob.threads()).allMatch(thread -> thread.getName().equals("pigeon-deliver-" + RouterFixture.NODE));
    }

    @Test
    void receiptGoesToTheOtherMembersOnlyAndOnlyWhenTheMarkerMoves() {
        await(fixture.router.create("a", "team", List.of("b", "c")));
        CollectingSink a = new CollectingSink();
        CollectingSink b = new CollectingSink();
        CollectingSink c = new CollectingSink();
        connect(fixture.router, fixture.session("a", "s-a"), a);
        connect(fixture.router, fixture.session("b", "s-b"), b);
        connect(fixture.router, fixture.session("c", "s-c"), c);
        fixture.send("a", "g:team", "m1", "one");
        fixture.send("a", "g:team", "m2", "two");

        await(fixture.router.read("b", "g:team", 1));
        await(fixture.router.read("b", "g:team", 1));
        await(fixture.router.read("b", "g:team", 99));
        // a later message to b travels the same ordered queue as any receipt to b would have
        fixture.send("a", "g:team", "m3", "three");
        await().atMost(patience()).until(() -> b.received(Delivery.Message.class).size() == 3);

        Frame.Receipt first = new Frame.Receipt("g:team", "b", 1);
        Frame.Receipt clamped = new Frame.Receipt("g:team", "b", 2);
        for (CollectingSink other : List.of(a, c)) {
            await().atMost(patience()).until(() -> other.received(Delivery.Receipt.class).size() == 2);
            assertThat(other.received(Delivery.Receipt.class)).extracting(Delivery.Receipt::receipt)
                    .containsExactly(first, clamped);
        }
        assertThat(b.received(Delivery.Receipt.class)).isEmpty();
        assertThat(await(fixture.store.readOffset("b", "g:team"))).isEqualTo(2);
        assertThat(fixture.meters.get("pigeon.router.receipts").counter().count()).isEqualTo(2);
    }

    @Test
    void readOfAConversationOneDoesNotBelongToIsForbidden() {
        fixture.send("alice", "dm:alice:bob", "m1", "x");

        assertThat(failureOf(fixture.router.read("carol", "dm:alice:bob", 1)).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failureOf(fixture.router.read("carol", "not a conversation", 1)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(fixture.router.read("alice", "dm:alice:bob", -1)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void disconnectReachesEverySessionOfTheUserOnEveryNode() {
        DefaultRouter otherNode = fixture.router("node-2");
        CollectingSink here = new CollectingSink();
        CollectingSink there = new CollectingSink();
        CollectingSink bystander = new CollectingSink();
        connect(fixture.router, fixture.session("alice", "a1"), here);
        connect(otherNode, fixture.session("alice", "a2", "node-2"), there);
        connect(fixture.router, fixture.session("bob", "b1"), bystander);

        await(otherNode.disconnect("alice", "operator"));

        Delivery.Disconnect expected = new Delivery.Disconnect("alice", "operator");
        await().atMost(patience()).until(() -> here.received().contains(expected) && there.received().contains(expected));
        fixture.send("alice", "dm:alice:bob", "after", "x");
        await().atMost(patience()).until(() -> bystander.received().size() == 1);
        assertThat(bystander.received(Delivery.Disconnect.class)).isEmpty();
    }

    @Test
    void closedRegistrationLeavesPresenceAndReceivesNothingMore() {
        CollectingSink alice = new CollectingSink();
        CollectingSink bob = new CollectingSink();
        SessionRegistration registration = connect(fixture.router, fixture.session("alice", "a1"), alice);
        connect(fixture.router, fixture.session("bob", "b1"), bob);

        registration.close();
        registration.close();
        fixture.send("bob", "dm:alice:bob", "m1", "anyone?");

        await().atMost(patience()).until(() -> bob.received().size() == 1);
        assertThat(alice.received()).isEmpty();
        await().atMost(patience()).until(() -> await(fixture.presence.sessions(List.of("alice"))).get("alice").isEmpty());
    }

    @Test
    void heartbeatBringsBackAnExpiredEntryWithTheLastSeenOfTheLatestTouch() {
        SessionRegistration registration = connect(fixture.router, fixture.session("alice", "a1"), new CollectingSink());

        fixture.clock.advance(Duration.ofSeconds(61));
        registration.touch();
        long touchedAt = fixture.clock.millis();

        await().atMost(patience()).until(() -> await(fixture.presence.sessions(List.of("alice"))).get("alice")
                .stream().anyMatch(session -> session.lastSeen() == touchedAt));
    }

    @Test
    void sessionOfAnotherNodeOrIncompleteIsRefused() {
        SessionInfo elsewhere = fixture.session("alice", "a1", "node-9");
        SessionInfo noUser = new SessionInfo("a1", null, RouterFixture.NODE, "local", "ws", "d", 0, 0);

        assertThat(failureOf(fixture.router.connect(elsewhere, new CollectingSink())).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(fixture.router.connect(noUser, new CollectingSink())).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void failingSinkDoesNotKeepDeliveriesFromTheOthers() {
        CollectingSink healthy = new CollectingSink();
        connect(fixture.router, fixture.session("bob", "b1"), delivery -> {
            throw new IllegalStateException("session is broken");
        });
        connect(fixture.router, fixture.session("bob", "b2"), healthy);

        fixture.send("alice", "dm:alice:bob", "m1", "x");
        fixture.send("alice", "dm:alice:bob", "m2", "y");

        await().atMost(patience()).until(() -> healthy.received().size() == 2);
    }

    @Test
    void fanOutThatCannotReadPresenceDoesNotFailTheSend() {
        Presence broken = new Presence() {
            @Override
            public CompletionStage<Void> register(SessionInfo session) {
                return fixture.presence.register(session);
            }

            @Override
            public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
                return fixture.presence.refresh(sessions);
            }

            @Override
            public CompletionStage<Void> unregister(SessionInfo session) {
                return fixture.presence.unregister(session);
            }

            @Override
            public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users) {
                return CompletableFuture.failedFuture(new IllegalStateException("presence is down"));
            }

            @Override
            public CompletionStage<PresenceStats> stats() {
                return fixture.presence.stats();
            }
        };
        try (DefaultRouter router = DefaultRouter.builder().nodeId("node-3").store(fixture.store)
                .homes(new SingleRegionHomeDirectory(RouterFixture.REGION)).presence(broken).bus(fixture.bus)
                .meterRegistry(fixture.meters).build()) {
            Frame.Sent sent = await(router.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null)));

            assertThat(sent.seq()).isEqualTo(1);
            await().atMost(patience()).until(() ->
                    fixture.meters.get("pigeon.router.fanout.failures").counter().count() == 1);
        }
    }

    private static SessionRegistration connect(DefaultRouter router, SessionInfo session, DeliverySink sink) {
        return RouterFixture.await(router.connect(session, sink));
    }
}
