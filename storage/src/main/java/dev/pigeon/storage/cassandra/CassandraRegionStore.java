package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.storage.RegionStore;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link RegionStore} in the tables {@code region_beats}, {@code region_outbox},
 * {@code user_conversations}, {@code region_failovers} and {@code recoveries}, through the calls
 * of the {@link CassandraMessageStore} that owns it (same session, limits and failures).
 *
 * <h2>The outbox without lightweight transactions</h2>
 * An outbox value only grows, and several senders raise it concurrently, in any order. Each write
 * carries the {@code conv_seq} it sets as its write timestamp ({@code USING TIMESTAMP}), so the
 * replicas keep the highest, as with the fan-out marks. A clear is a delete at the timestamp of the
 * {@code conv_seq} it cleared: a tombstone shadows every write with a timestamp up to its own and
 * none after, so it removes the value that was placed and any lower one, while a raise above it,
 * made before or after the clear, survives. Nothing else writes this table, so no wall-clock
 * timestamp competes with these.
 */
final class CassandraRegionStore implements RegionStore {
    private final CqlSession session;
    private final Calls calls;
    private final PreparedStatement insertBeat;
    private final PreparedStatement selectBeats;
    private final PreparedStatement raiseOutbox;
    private final PreparedStatement selectOutbox;
    private final PreparedStatement clearOutbox;
    private final PreparedStatement insertConversation;
    private final PreparedStatement selectConversations;
    private final PreparedStatement insertFailover;
    private final PreparedStatement selectFailovers;
    private final PreparedStatement insertRecovery;
    private final PreparedStatement selectRecoveries;

    private CassandraRegionStore(CqlSession session, Calls calls, List<PreparedStatement> prepared) {
        this.session = session;
        this.calls = calls;
        this.insertBeat = prepared.get(0);
        this.selectBeats = prepared.get(1);
        this.raiseOutbox = prepared.get(2);
        this.selectOutbox = prepared.get(3);
        this.clearOutbox = prepared.get(4);
        this.insertConversation = prepared.get(5);
        this.selectConversations = prepared.get(6);
        this.insertFailover = prepared.get(7);
        this.selectFailovers = prepared.get(8);
        this.insertRecovery = prepared.get(9);
        this.selectRecoveries = prepared.get(10);
    }

    static CompletionStage<CassandraRegionStore> prepare(CqlSession session, Calls calls) {
        return Statements.prepareAll(session, List.of(
                        "INSERT INTO region_beats (region, node, at_ms) VALUES (?, ?, ?)",
                        "SELECT region, node, at_ms FROM region_beats",
                        "UPDATE region_outbox USING TIMESTAMP ? SET conv_seq = ? WHERE region = ? AND conversation = ?",
                        "SELECT conversation, conv_seq FROM region_outbox WHERE region = ? LIMIT ?",
                        "DELETE FROM region_outbox USING TIMESTAMP ? WHERE region = ? AND conversation = ?",
                        "INSERT INTO user_conversations (user, conversation) VALUES (?, ?)",
                        "SELECT conversation FROM user_conversations WHERE user = ?",
                        "INSERT INTO region_failovers (region, declared_by, declared_at, rejoined_at) VALUES (?, ?, ?, ?)",
                        "SELECT region, declared_by, declared_at, rejoined_at FROM region_failovers",
                        "INSERT INTO recoveries (conversation, old_epoch, old_conv_seq, sender, client_id, new_conv_seq)"
                                + " VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS",
                        "SELECT old_epoch, old_conv_seq, sender, client_id, new_conv_seq FROM recoveries"
                                + " WHERE conversation = ?"))
                .thenApply(prepared -> new CassandraRegionStore(session, calls, prepared));
    }

    @Override
    public CompletionStage<Void> beat(RegionBeat beat) {
        return calls.call("beat", () -> done(session.executeAsync(insertBeat.bind(
                ValidText.check("region", beat.region()), ValidText.check("node", beat.node()),
                notNegative("atMillis", beat.atMillis())).setIdempotent(true))));
    }

    @Override
    public CompletionStage<List<RegionBeat>> beats() {
        return calls.call("beats", () -> Statements.rows(session.executeAsync(selectBeats.bind().setIdempotent(true)))
                .thenApply(rows -> rows.stream().map(row -> new RegionBeat(row.getString("region"),
                        row.getString("node"), row.getLong("at_ms"))).toList()));
    }

    @Override
    public CompletionStage<Void> recordOutbox(String region, String conversation, long convSeq) {
        return calls.call("recordOutbox", () -> done(session.executeAsync(raiseOutbox.bind(
                positive("convSeq", convSeq), convSeq, ValidText.check("region", region),
                ValidText.check("conversation", conversation)).setIdempotent(true))));
    }

    @Override
    public CompletionStage<List<OutboxEntry>> outbox(String region, int limit) {
        return calls.call("outbox", () -> {
            ValidText.check("region", region);
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative: " + limit);
            }
            if (limit == 0) {
                return CompletableFuture.completedFuture(List.of());
            }
            return Statements.rows(session.executeAsync(selectOutbox.bind(region, limit).setIdempotent(true)))
                    .thenApply(rows -> rows.stream().map(row -> new OutboxEntry(row.getString("conversation"),
                            row.getLong("conv_seq"))).toList());
        });
    }

    @Override
    public CompletionStage<Void> clearOutbox(String region, String conversation, long convSeq) {
        return calls.call("clearOutbox", () -> done(session.executeAsync(clearOutbox.bind(
                positive("convSeq", convSeq), ValidText.check("region", region),
                ValidText.check("conversation", conversation)).setIdempotent(true))));
    }

    @Override
    public CompletionStage<Void> addConversation(String user, String conversation) {
        return calls.call("addConversation", () -> done(session.executeAsync(insertConversation.bind(
                ValidText.check("user", user), ValidText.check("conversation", conversation)).setIdempotent(true))));
    }

    @Override
    public CompletionStage<List<String>> conversationsOf(String user) {
        return calls.call("conversationsOf", () -> Statements.rows(session.executeAsync(
                        selectConversations.bind(ValidText.check("user", user)).setIdempotent(true)))
                .thenApply(rows -> rows.stream().map(row -> row.getString("conversation")).toList()));
    }

    @Override
    public CompletionStage<Void> recordFailover(RegionFailover failover) {
        return calls.call("recordFailover", () -> done(session.executeAsync(insertFailover.bind(
                ValidText.check("region", failover.region()), ValidText.check("declaredBy", failover.declaredBy()),
                notNegative("declaredAtMillis", failover.declaredAtMillis()),
                notNegative("rejoinedAtMillis", failover.rejoinedAtMillis())).setIdempotent(true))));
    }

    @Override
    public CompletionStage<List<RegionFailover>> failovers() {
        return calls.call("failovers", () -> Statements.rows(session.executeAsync(selectFailovers.bind().setIdempotent(true)))
                .thenApply(rows -> rows.stream().map(row -> new RegionFailover(row.getString("region"),
                        row.getString("declared_by"), row.getLong("declared_at"), row.getLong("rejoined_at"))).toList()));
    }

    @Override
    public CompletionStage<Boolean> recordRecovery(Recovery recovery) {
        return calls.call("recordRecovery", () -> session.executeAsync(insertRecovery.bind(
                        ValidText.check("conversation", recovery.conversation()),
                        positive("oldEpoch", recovery.oldEpoch()), positive("oldConvSeq", recovery.oldConvSeq()),
                        ValidText.check("sender", recovery.sender()), ValidText.check("clientId", recovery.clientId()),
                        positive("newConvSeq", recovery.newConvSeq())))
                .thenApply(AsyncResultSet::wasApplied));
    }

    @Override
    public CompletionStage<List<Recovery>> recoveries(String conversation) {
        return calls.call("recoveries", () -> Statements.rows(session.executeAsync(
                        selectRecoveries.bind(ValidText.check("conversation", conversation)).setIdempotent(true)))
                .thenApply(rows -> rows.stream().map(row -> recovery(conversation, row)).toList()));
    }

    private static Recovery recovery(String conversation, Row row) {
        return new Recovery(conversation, row.getLong("old_epoch"), row.getLong("old_conv_seq"),
                row.getString("sender"), row.getString("client_id"), row.getLong("new_conv_seq"));
    }

    private static CompletionStage<Void> done(CompletionStage<AsyncResultSet> write) {
        return write.thenApply(result -> null);
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
        return value;
    }

    private static long notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }
}
