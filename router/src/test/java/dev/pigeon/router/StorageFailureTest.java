package dev.pigeon.router;

import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.storage.InboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static dev.pigeon.router.RouterFixture.await;
import static dev.pigeon.router.RouterFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

class StorageFailureTest {
    FaultyStore faults;
    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create(
            RouterLimits.defaults().withStorageTimeout(Duration.ofMillis(200)).withMaxGroupMembers(1000), store -> {
                faults = new FaultyStore(store);
                return faults;
            });

    @Test
    void sendThatFailsHalfWayIsUnavailableAndItsRetryCompletesIt() {
        faults.failingInboxes.add("bob");
        Frame.Send send = new Frame.Send(null, "m1", "dm:alice:bob", null, "hello", null);

        assertThat(failureOf(fixture.router.send("alice", send)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(fixture.inbox("bob")).isEmpty();

        faults.failingInboxes.clear();
        Frame.Sent sent = await(fixture.router.send("alice", send));

        assertThat(sent.convSeq()).isEqualTo(1);
        assertThat(sent.seq()).isEqualTo(1);
        assertThat(fixture.inbox("alice")).extracting(InboxEntry::seq).containsExactly(1L);
        assertThat(fixture.inbox("bob")).extracting(InboxEntry::seq).containsExactly(1L);
        assertThat(await(fixture.router.send("alice", send))).isEqualTo(sent);
    }

    @Test
    void aMessageLeftOutOfAnInboxIsPlacedBeforeTheNextOneWhicheverNodeSendsIt() {
        faults.failingInboxes.add("bob");
        Frame.Send first = new Frame.Send(null, "m1", "dm:alice:bob", null, "first", null);
        assertThat(failureOf(fixture.router.send("alice", first)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        faults.failingInboxes.clear();

        Frame.Sent second = await(fixture.router("node-2").send("bob",
                new Frame.Send(null, "m2", "dm:alice:bob", null, "second", null)));
        Frame.Sent firstRetried = await(fixture.router.send("alice", first));

        assertThat(second.convSeq()).isEqualTo(2);
        assertThat(firstRetried.convSeq()).isEqualTo(1);
        assertThat(firstRetried.seq()).isEqualTo(1);
        for (String member : new String[]{"alice", "bob"}) {
            assertThat(fixture.inbox(member)).extracting(entry -> entry.entry().body()).as(member)
                    .containsExactly("first", "second");
        }
        assertThat(await(fixture.store.fanOutMark("dm:alice:bob"))).isEqualTo(2);
    }

    @Test
    void aReaderIsShownAHalfWrittenEntryOnlyOnceEveryMemberHasIt() {
        faults.failingInboxes.add("bob");
        Frame.Send send = new Frame.Send(null, "m1", "dm:alice:bob", null, "hello", null);
        assertThat(failureOf(fixture.router.send("alice", send)).code()).isEqualTo(ErrorCode.UNAVAILABLE);

        // the log and alice's inbox hold it, bob's cannot: readers get unavailable, not half of it
        assertThat(failureOf(fixture.router.history("alice", "dm:alice:bob", null, 10)).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failureOf(fixture.router.sync("alice", 0, 10)).code()).isEqualTo(ErrorCode.UNAVAILABLE);

        faults.failingInboxes.clear();
        assertThat(await(fixture.router.sync("alice", 0, 10)).messages()).extracting(entry -> entry.entry().body())
                .containsExactly("hello");
        assertThat(fixture.inbox("bob")).extracting(entry -> entry.entry().body()).containsExactly("hello");
        assertThat(await(fixture.router.history("bob", "dm:alice:bob", null, 10)).messages()).hasSize(1);
        assertThat(await(fixture.router.send("alice", send)).seq()).isEqualTo(1);
    }

    @Test
    void aLargeGroupSendKeepsABoundedNumberOfInboxAppendsInFlight() {
        List<String> members = IntStream.range(0, 600).mapToObj(i -> String.format("m%03d", i)).toList();
        await(fixture.router.create("m000", "crowd", members));

        Frame.Sent sent = await(fixture.router.send("m000", new Frame.Send(null, "big", "g:crowd", null, "hi all", null)));

        assertThat(sent.convSeq()).isEqualTo(1);
        for (String member : members) {
            assertThat(fixture.inbox(member)).extracting(entry -> entry.entry().id()).as(member).containsExactly("big");
        }
        assertThat(faults.mostInboxAppendsAtOnce.get()).isBetween(1, 64);
    }

    @Test
    void storageThatDoesNotAnswerIsUnavailable() {
        faults.claimsHang = true;

        assertThat(failureOf(fixture.router.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null))).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void closedStoreIsUnavailableForEveryRequest() {
        fixture.embedded.close();

        assertThat(failureOf(fixture.router.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null))).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failureOf(fixture.router.sync("alice", 0, 10)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failureOf(fixture.router.head("alice")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failureOf(fixture.router.get("alice", "team")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failureOf(fixture.router.ack("alice", "d1", 1)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
