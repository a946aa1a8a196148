package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import static java.util.concurrent.CompletableFuture.completedFuture;

/**
 * A table of monotonic markers, one per (user, key): read offsets per conversation, delivered
 * offsets per device. Every write is a lightweight transaction that only moves a marker forward,
 * so concurrent advances keep the highest whatever their order.
 */
final class Offsets {
    private final CqlSession session;
    private final PartitionLanes lanes;
    private final PreparedStatement select;
    private final PreparedStatement raise;
    private final PreparedStatement insertIfAbsent;

    private Offsets(CqlSession session, PartitionLanes lanes, List<PreparedStatement> prepared) {
        this.session = session;
        this.lanes = lanes;
        this.select = prepared.get(0);
        this.raise = prepared.get(1);
        this.insertIfAbsent = prepared.get(2);
    }

    /** {@code table} has columns user, {@code keyColumn} and offset. */
    static CompletionStage<Offsets> prepare(CqlSession session, PartitionLanes lanes, String table, String keyColumn) {
        String row = " WHERE user = ? AND " + keyColumn + " = ?";
        return Statements.prepareAll(session, List.of(
                        "SELECT offset FROM " + table + row,
                        "UPDATE " + table + " SET offset = ?" + row + " IF offset < ?",
                        "INSERT INTO " + table + " (user, " + keyColumn + ", offset) VALUES (?, ?, ?) IF NOT EXISTS"))
                .thenApply(prepared -> new Offsets(session, lanes, prepared));
    }

    /** The marker, 0 when none. */
    CompletionStage<Long> get(String user, String key) {
        return session.executeAsync(select.bind(user, key).setIdempotent(true))
                .thenApply(result -> storedOffset(result.one()).orElse(0L));
    }

    /** Moves the marker up to {@code upTo} unless it is already there or beyond; returns the marker now. */
    CompletionStage<Long> advance(String user, String key, long upTo) {
        if (upTo <= 0) {
            return get(user, key);
        }
        return lanes.run(user + '\n' + key, () -> raise(user, key, upTo));
    }

    private CompletionStage<Long> raise(String user, String key, long upTo) {
        return session.executeAsync(raise.bind(upTo, user, key, upTo)).thenCompose(raised -> {
            if (raised.wasApplied()) {
                return completedFuture(upTo);
            }
            Optional<Long> current = storedOffset(raised.one());
            if (current.isPresent()) {
                return completedFuture(current.get());
            }
            // No marker yet: create it, or find the one that a concurrent writer just created.
            return session.executeAsync(insertIfAbsent.bind(user, key, upTo)).thenCompose(inserted -> {
                if (inserted.wasApplied()) {
                    return completedFuture(upTo);
                }
                long stored = storedOffset(inserted.one()).orElse(0L);
                return stored >= upTo ? completedFuture(stored) : raise(user, key, upTo);
            });
        });
    }

    private static Optional<Long> storedOffset(Row row) {
        if (row == null || !row.getColumnDefinitions().contains("offset") || row.isNull("offset")) {
            return Optional.empty();
        }
        return Optional.of(row.getLong("offset"));
    }
}
