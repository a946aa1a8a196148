package dev.pigeon.router;

import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.InboxEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.pigeon.router.RouterFixture.await;
import static dev.pigeon.router.RouterFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

class InboxAndHistoryTest {
    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create(RouterLimits.defaults().withMaxPageSize(3));

    @BeforeEach
    void start() {
        for (int i = 1; i <= 5; i++) {
            fixture.send("alice", "dm:alice:bob", "m" + i, "n" + i);
        }
    }

    @Test
    void syncReplaysAfterSinceOldestFirstCappedByThePageSize() {
        InboxPage page = await(fixture.router.sync("bob", 1, 100));

        assertThat(page.messages()).extracting(InboxEntry::seq).containsExactly(2L, 3L, 4L);
        assertThat(page.head()).isEqualTo(5);
    }

    @Test
    void syncBeyondTheHeadReplaysNothing() {
        InboxPage page = await(fixture.router.sync("bob", 99, 10));

        assertThat(page.messages()).isEmpty();
        assertThat(page.head()).isEqualTo(5);
        assertThat(await(fixture.router.head("bob"))).isEqualTo(5);
        assertThat(await(fixture.router.head("nobody"))).isZero();
    }

    @Test
    void badSyncIsABadRequest() {
        assertThat(failureOf(fixture.router.sync("bob", -1, 10)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(fixture.router.sync("bob", 0, 0)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void ackIsPerDeviceAndClampsToTheHead() {
        await(fixture.router.ack("bob", "phone", 2));
        await(fixture.router.ack("bob", "laptop", 1_000));
        await(fixture.router.ack("bob", "phone", 1));

        assertThat(await(fixture.store.deliveredOffset("bob", "phone"))).isEqualTo(2);
        assertThat(await(fixture.store.deliveredOffset("bob", "laptop"))).isEqualTo(5);
        assertThat(failureOf(fixture.router.ack("bob", "phone", -1)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(fixture.router.ack("bob", "", 1)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void historyIsNewestFirstFromTheNewestOrBeforeAPosition() {
        Frame.HistoryPage newest = await(fixture.router.history("bob", "dm:alice:bob", null, 2));
        Frame.HistoryPage older = await(fixture.router.history("alice", "dm:alice:bob", 3L, 10));

        assertThat(newest.conversation()).isEqualTo("dm:alice:bob");
        assertThat(newest.messages()).extracting(LogEntry::convSeq).containsExactly(5L, 4L);
        assertThat(older.messages()).extracting(LogEntry::convSeq).containsExactly(2L, 1L);
        assertThat(older.messages().get(0).body()).isEqualTo("n2");
    }

    @Test
    void historyIsForMembersOnly() {
        assertThat(failureOf(fixture.router.history("carol", "dm:alice:bob", null, 10)).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failureOf(fixture.router.history("carol", "g:missing", null, 10)).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failureOf(fixture.router.history("carol", "dm:bob:alice", null, 10)).code())
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(fixture.router.history("bob", "dm:alice:bob", 0L, 10)).code())
                .isEqualTo(ErrorCode.BAD_REQUEST);
    }
}
