package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The fan-out mark of each conversation. Every write carries the {@code conv_seq} it sets as its
 * write timestamp, so the highest mark wins whatever order the writes reach the replicas in: a
 * mark moves only forward without the cost of a lightweight transaction. Nothing else writes or
 * deletes in this table, so no real timestamp competes with these.
 */
final class FanOutMarks {
    private final CqlSession session;
    private final PreparedStatement select;
    private final PreparedStatement raise;

    private FanOutMarks(CqlSession session, List<PreparedStatement> prepared) {
        this.session = session;
        this.select = prepared.get(0);
        this.raise = prepared.get(1);
    }

    static CompletionStage<FanOutMarks> prepare(CqlSession session) {
        return Statements.prepareAll(session, List.of(
                        "SELECT conv_seq FROM fan_out_marks WHERE conversation = ?",
                        "UPDATE fan_out_marks USING TIMESTAMP ? SET conv_seq = ? WHERE conversation = ?"))
                .thenApply(prepared -> new FanOutMarks(session, prepared));
    }

    CompletionStage<Long> get(String conversation) {
        return session.executeAsync(select.bind(conversation).setIdempotent(true)).thenApply(result -> {
            Row row = result.one();
            return row == null || row.isNull(0) ? 0L : row.getLong(0);
        });
    }

    CompletionStage<Void> advance(String conversation, long convSeq) {
        if (convSeq <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return session.executeAsync(raise.bind(convSeq, convSeq, conversation).setIdempotent(true))
                .thenApply(result -> null);
    }
}
