package dev.pigeon.storage.cassandra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceLayoutTest {

    @Test
    void bucketsHoldTenThousandPositionsEach() {
        assertThat(Sequence.bucketOf(1)).isZero();
        assertThat(Sequence.bucketOf(9_999)).isZero();
        assertThat(Sequence.bucketOf(10_000)).isEqualTo(1);
        assertThat(Sequence.lastOf(0)).isEqualTo(9_999);
        assertThat(Sequence.lastOf(1)).isEqualTo(19_999);
    }

    @Test
    void theLogIsKeyedByConversationAndNamesEachColumnOnce() {
        assertThat(SequenceLayout.LOG.insertSlotIfAbsent()).isEqualTo("INSERT INTO conversation_log (conversation,"
                + " bucket, conv_seq, sender, client_id, body, format, ts, home_epoch) VALUES (:conversation, :bucket,"
                + " :conv_seq, :sender, :client_id, :body, :format, :ts, :home_epoch) IF NOT EXISTS");
        assertThat(SequenceLayout.LOG.insertIndex()).isEqualTo("INSERT INTO log_ids (conversation, sender,"
                + " client_id, conv_seq) VALUES (:conversation, :sender, :client_id, :conv_seq)");
        assertThat(SequenceLayout.LOG.selectHighest()).isEqualTo("SELECT conv_seq, conversation, sender, client_id"
                + " FROM conversation_log WHERE conversation = :conversation AND bucket = :bucket"
                + " ORDER BY conv_seq DESC LIMIT 1");
    }

    @Test
    void theInboxIsKeyedByUserAndIndexedByConversationAndConvSeq() {
        assertThat(SequenceLayout.INBOX.selectIndex()).isEqualTo("SELECT seq FROM inbox_ids WHERE user = :user"
                + " AND conversation = :conversation AND conv_seq = :conv_seq");
        assertThat(SequenceLayout.INBOX.selectAfter()).isEqualTo("SELECT * FROM inbox WHERE user = :user"
                + " AND bucket = :bucket AND seq >= :seq ORDER BY seq ASC LIMIT :max_rows");
    }

    @Test
    void anEntryIsRecognisedByItsNaturalKey() {
        var entry = new dev.pigeon.protocol.LogEntry("g:x", 4, "alice", "m1", "b", null, 1);

        assertThat(SequenceLayout.LOG.holds(new SlotKey(9, "g:x", 9, "alice", "m1"), entry)).isTrue();
        assertThat(SequenceLayout.LOG.holds(new SlotKey(9, "g:x", 9, "alice", "m2"), entry)).isFalse();
        assertThat(SequenceLayout.INBOX.holds(new SlotKey(2, "g:x", 4, "bob", "other"), entry)).isTrue();
        assertThat(SequenceLayout.INBOX.holds(new SlotKey(2, "g:x", 5, "alice", "m1"), entry)).isFalse();
        assertThat(SequenceLayout.LOG.stored(entry, 7).convSeq()).isEqualTo(7);
        assertThat(SequenceLayout.INBOX.stored(entry, 7)).isEqualTo(entry);
    }
}
