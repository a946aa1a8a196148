package dev.pigeon.router;

import dev.pigeon.homing.Home;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.InboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import static dev.pigeon.router.RouterFixture.await;
import static dev.pigeon.router.RouterFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

class SendPipelineTest {
    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create();

    @Test
    void directSendReachesBothInboxesAtContiguousSeq() {
        Frame.Sent first = fixture.send("alice", "dm:alice:bob", "m1", "hi bob");
        Frame.Sent second = fixture.send("bob", "dm:alice:bob", "m2", "hi alice");

        assertThat(first).isEqualTo(new Frame.Sent("m1", "m1", "dm:alice:bob", 1, 1, fixture.clock.millis()));
        assertThat(second.convSeq()).isEqualTo(2);
        assertThat(second.seq()).isEqualTo(2);
        for (String user : List.of("alice", "bob")) {
            List<InboxEntry> inbox = fixture.inbox(user);
            assertThat(inbox).extracting(InboxEntry::seq).containsExactly(1L, 2L);
            assertThat(inbox).extracting(entry -> entry.entry().body()).containsExactly("hi bob", "hi alice");
            assertThat(inbox).extracting(entry -> entry.entry().from()).containsExactly("alice", "bob");
        }
    }

    @Test
    void sendToUserDerivesTheDirectConversation() {
        Frame.Sent sent = await(fixture.router.send("bob", new Frame.Send("r1", "m1", null, "alice", "yo", null)));

        assertThat(sent.ref()).isEqualTo("r1");
        assertThat(sent.conversation()).isEqualTo("dm:alice:bob");
        assertThat(fixture.inbox("alice")).hasSize(1);
    }

    @Test
    void groupSendReachesEveryMemberAndNobodyElse() {
        await(fixture.router.create("a", "team", List.of("c", "d")));
        fixture.send("x", "dm:a:x", "warmup", "hello a");

        Frame.Sent sent = fixture.send("c", "g:team", "m1", "hello team");

        assertThat(sent.convSeq()).isEqualTo(1);
        assertThat(sent.seq()).isEqualTo(1);
        assertThat(fixture.inbox("a")).extracting(InboxEntry::seq).containsExactly(1L, 2L);
        assertThat(fixture.inbox("a").get(1).entry().body()).isEqualTo("hello team");
        assertThat(fixture.inbox("c")).extracting(InboxEntry::seq).containsExactly(1L);
        assertThat(fixture.inbox("d")).extracting(InboxEntry::seq).containsExactly(1L);
        assertThat(fixture.inbox("b")).isEmpty();
    }

    @Test
    void noteToSelfEntersTheInboxOnce() {
        Frame.Sent sent = fixture.send("a", "dm:a:a", "n1", "remember the milk");

        assertThat(sent.seq()).isEqualTo(1);
        assertThat(fixture.inbox("a")).hasSize(1);
    }

    @Test
    void retriedSendAnswersTheSameSentAndCreatesNothing() {
        Frame.Sent first = fixture.send("alice", "dm:alice:bob", "m1", "once");
        fixture.clock.advance(Duration.ofSeconds(5));

        Frame.Sent retry = fixture.send("alice", "dm:alice:bob", "m1", "once");

        assertThat(retry).isEqualTo(first);
        assertThat(fixture.inbox("alice")).hasSize(1);
        assertThat(fixture.inbox("bob")).hasSize(1);
        assertThat(await(fixture.store.readLog("dm:alice:bob", Long.MAX_VALUE, 10))).hasSize(1);
    }

    @Test
    void textFormatSpelledOutIsTheSameSendAsNone() {
        Frame.Sent first = fixture.send("alice", "dm:alice:bob", "m1", "once");

        Frame.Sent retry = await(fixture.router.send("alice",
                new Frame.Send(null, "m1", "dm:alice:bob", null, "once", "text")));

        assertThat(retry).isEqualTo(first);
    }

    @Test
    void idReusedForAnotherBodyOrConversationIsAConflict() {
        fixture.send("alice", "dm:alice:bob", "m1", "once");

        assertThat(failureOf(fixture.router.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "twice", null))).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(failureOf(fixture.router.send("alice", new Frame.Send(null, "m1", "dm:alice:carol", null, "once", null))).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(failureOf(fixture.router.send("alice",
                new Frame.Send(null, "m1", "dm:alice:bob", null, "once", "image/png"))).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(fixture.inbox("bob")).hasSize(1);
        assertThat(fixture.inbox("carol")).isEmpty();
    }

    @Test
    void sameIdFromAnotherSenderIsAnotherMessage() {
        fixture.send("alice", "dm:alice:bob", "m1", "from alice");
        fixture.send("bob", "dm:alice:bob", "m1", "from bob");

        assertThat(fixture.inbox("bob")).hasSize(2);
    }

    @Test
    void nonMemberIsForbidden() {
        await(fixture.router.create("a", "team", List.of("b")));

        assertThat(failureOf(fixture.router.send("mallory", new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null))))
                .satisfies(error -> assertThat(error.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .satisfies(error -> assertThat(error.ref()).isEqualTo("m1"));
        assertThat(failureOf(fixture.router.send("mallory", new Frame.Send(null, "m1", "g:team", null, "x", null))).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(fixture.inbox("alice")).isEmpty();
        assertThat(fixture.inbox("a")).isEmpty();
    }

    @Test
    void missingGroupIsNotFound() {
        assertThat(failureOf(fixture.router.send("a", new Frame.Send(null, "m1", "g:nowhere", null, "x", null))).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    static Stream<Arguments> invalidSends() {
        return Stream.of(
                Arguments.of("no id", new Frame.Send(null, null, "dm:a:b", null, "x", null)),
                Arguments.of("empty id", new Frame.Send(null, "", "dm:a:b", null, "x", null)),
                Arguments.of("id over 64", new Frame.Send(null, "i".repeat(65), "dm:a:b", null, "x", null)),
                Arguments.of("no conversation", new Frame.Send(null, "m1", null, null, "x", null)),
                Arguments.of("dm out of order", new Frame.Send(null, "m1", "dm:b:a", null, "x", null)),
                Arguments.of("unknown kind", new Frame.Send(null, "m1", "room:a", null, "x", null)),
                Arguments.of("bad group name", new Frame.Send(null, "m1", "g:..", null, "x", null)),
                Arguments.of("bad recipient", new Frame.Send(null, "m1", null, "b/c", "x", null)),
                Arguments.of("no body", new Frame.Send(null, "m1", "dm:a:b", null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSends")
    void invalidSendIsABadRequest(String why, Frame.Send send) {
        assertThat(failureOf(fixture.router.send("a", send)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(fixture.inbox("a")).isEmpty();
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        String body = "é".repeat(32 * 1024 + 1);

        assertThat(failureOf(fixture.router.send("a", new Frame.Send(null, "m1", "dm:a:b", null, body, null))).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void sendsBeyondTheRateAreRateLimitedPerUser() {
        int allowed = fixture.limits.sendsPerSecond();
        List<ErrorCode> outcomes = Stream.iterate(0, i -> i + 1).limit(allowed * 3L)
                .map(i -> fixture.router.send("a", new Frame.Send(null, "m" + i, "dm:a:b", null, "x", null)))
                .toList().stream()
                .map(stage -> await(stage.handle((sent, failure) ->
                        failure == null ? null : ((ProtocolException) failure).code())))
                .toList();

        // a burst of the rate passes at once; a refill may fall inside the burst, never two
        assertThat(outcomes).contains(ErrorCode.RATE_LIMITED);
        assertThat(outcomes.stream().filter(code -> code == null).count()).isBetween((long) allowed, 2L * allowed);
        assertThat(outcomes).allMatch(code -> code == null || code == ErrorCode.RATE_LIMITED);
        assertThat(fixture.send("b", "dm:a:b", "other-user", "b is not limited").convSeq()).isPositive();
    }

    @Test
    void conversationHomedInAnotherRegionIsUnavailable() {
        HomeDirectory elsewhere = new HomeDirectory() {
            @Override
            public String localRegion() {
                return RouterFixture.REGION;
            }

            @Override
            public CompletionStage<Home> homeOfUser(String user) {
                return CompletableFuture.completedFuture(new Home("far", 1));
            }

            @Override
            public CompletionStage<Home> homeOfConversation(String conversation) {
                return CompletableFuture.completedFuture(new Home("far", 1));
            }

            @Override
            public void forget(HomeStore.Kind kind, String id) {
            }
        };
        try (DefaultRouter router = DefaultRouter.builder().nodeId("node-2").store(fixture.store).homes(elsewhere)
                .presence(fixture.presence).bus(fixture.bus).build()) {
            assertThat(failureOf(router.send("a", new Frame.Send(null, "m1", "dm:a:b", null, "x", null))).code())
                    .isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(failureOf(router.ack("a", "d1", 0)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
        assertThat(fixture.inbox("a")).isEmpty();
    }

    @Test
    void sendsAreCountedByOutcome() {
        fixture.send("a", "dm:a:b", "m1", "x");
        failureOf(fixture.router.send("a", new Frame.Send(null, "m1", "dm:a:b", null, "y", null)));

        assertThat(fixture.meters.get("pigeon.router.sends").tag("outcome", "sent").timer().count()).isEqualTo(1);
        assertThat(fixture.meters.get("pigeon.router.sends").tag("outcome", "conflict").timer().count()).isEqualTo(1);
    }
}
