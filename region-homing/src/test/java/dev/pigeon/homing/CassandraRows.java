package dev.pigeon.homing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.pigeon.protocol.LogEntry;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Rows written straight into the Cassandra store's tables through one data centre, as another
 * writer's rows arrive there: at the position that writer chose, with the write timestamp it
 * chose. Positions live in buckets of 10,000 (see the store's schema).
 */
final class CassandraRows {
    /** A write timestamp later than any the test writes through the store: it wins every last-write-wins contest. */
    static final long FAR_FUTURE = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().plus(Duration.ofDays(365)));
    private static final long POSITIONS_PER_BUCKET = 10_000;

    private final CqlSession session;

    CassandraRows(CqlSession session) {
        this.session = session;
    }

    /** A plain session on {@code keyspace} through the nodes of {@code datacenter}. */
    static CqlSession session(InetSocketAddress contactPoint, String datacenter, String keyspace) {
        return CqlSession.builder().addContactPoint(contactPoint).withLocalDatacenter(datacenter)
                .withKeyspace(keyspace).build();
    }

    /** The log row at {@code stored.convSeq()} of {@code stream} and its natural-key index row. */
    void insertLogRow(String stream, LogEntry stored, long timestampMicros) {
        execute(timestampMicros, "INSERT INTO conversation_log (conversation, bucket, conv_seq, sender, client_id, body,"
                        + " format, ts, home_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                stream, bucketOf(stored.convSeq()), stored.convSeq(), stored.from(), stored.id(), stored.body(),
                stored.format(), stored.ts());
        execute(timestampMicros, "INSERT INTO log_ids (conversation, sender, client_id, conv_seq) VALUES (?, ?, ?, ?)",
                stream, stored.from(), stored.id(), stored.convSeq());
    }

    /** The inbox row at {@code seq} of {@code stream} and its natural-key index row. */
    void insertInboxRow(String stream, long seq, LogEntry entry, long timestampMicros) {
        execute(timestampMicros, "INSERT INTO inbox (user, bucket, seq, conversation, conv_seq, sender, client_id, body,"
                        + " format, ts, home_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                stream, bucketOf(seq), seq, entry.conversation(), entry.convSeq(), entry.from(), entry.id(), entry.body(),
                entry.format(), entry.ts());
        execute(timestampMicros, "INSERT INTO inbox_ids (user, conversation, conv_seq, seq) VALUES (?, ?, ?, ?)",
                stream, entry.conversation(), entry.convSeq(), seq);
    }

    /** Deletes the log row at {@code convSeq} of {@code stream} and its index row, as if neither had arrived. */
    void deleteLogRow(String stream, long convSeq) {
        Row row = session.execute(SimpleStatement.newInstance(
                "SELECT sender, client_id FROM conversation_log WHERE conversation = ? AND bucket = ? AND conv_seq = ?",
                stream, bucketOf(convSeq), convSeq)).one();
        session.execute(SimpleStatement.newInstance(
                "DELETE FROM conversation_log WHERE conversation = ? AND bucket = ? AND conv_seq = ?",
                stream, bucketOf(convSeq), convSeq));
        session.execute(SimpleStatement.newInstance(
                "DELETE FROM log_ids WHERE conversation = ? AND sender = ? AND client_id = ?",
                stream, row.getString("sender"), row.getString("client_id")));
    }

    /** Deletes the inbox row at {@code seq} of {@code stream} and its index row, as if neither had arrived. */
    void deleteInboxRow(String stream, long seq) {
        Row row = session.execute(SimpleStatement.newInstance(
                "SELECT conversation, conv_seq FROM inbox WHERE user = ? AND bucket = ? AND seq = ?",
                stream, bucketOf(seq), seq)).one();
        session.execute(SimpleStatement.newInstance("DELETE FROM inbox WHERE user = ? AND bucket = ? AND seq = ?",
                stream, bucketOf(seq), seq));
        session.execute(SimpleStatement.newInstance(
                "DELETE FROM inbox_ids WHERE user = ? AND conversation = ? AND conv_seq = ?",
                stream, row.getString("conversation"), row.getLong("conv_seq")));
    }

    private void execute(long timestampMicros, String cql, Object... values) {
        session.execute(SimpleStatement.newInstance(cql, values).setQueryTimestamp(timestampMicros));
    }

    private static long bucketOf(long position) {
        return position / POSITIONS_PER_BUCKET;
    }
}
