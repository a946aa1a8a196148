package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.StoredHome;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Homes of users and conversations in {@code homes ((kind, id))}. Claims are INSERT IF NOT EXISTS
 * (a lost claim returns the winner's row); moves are UPDATE ... IF epoch = ?, so each move is
 * decided by one lightweight transaction. Reads are SERIAL, which sees every decided transaction
 * and completes one in progress, so a read never trails a claim or move that has been answered.
 */
final class HomeTable {
    private final CqlSession session;
    private final ConsistencyLevel serialConsistency;
    private final PreparedStatement select;
    private final PreparedStatement insertIfAbsent;
    private final PreparedStatement moveIfEpoch;

    private HomeTable(CqlSession session, ConsistencyLevel serialConsistency, List<PreparedStatement> prepared) {
        this.session = session;
        this.serialConsistency = serialConsistency;
        this.select = prepared.get(0);
        this.insertIfAbsent = prepared.get(1);
        this.moveIfEpoch = prepared.get(2);
    }

    static CompletionStage<HomeTable> prepare(CqlSession session, ConsistencyLevel serialConsistency) {
        return Statements.prepareAll(session, List.of(
                        "SELECT region, epoch FROM homes WHERE kind = ? AND id = ?",
                        "INSERT INTO homes (kind, id, region, epoch) VALUES (?, ?, ?, 1) IF NOT EXISTS",
                        "UPDATE homes SET region = ?, epoch = ? WHERE kind = ? AND id = ? IF epoch = ?"))
                .thenApply(prepared -> new HomeTable(session, serialConsistency, prepared));
    }

    CompletionStage<Optional<StoredHome>> get(Kind kind, String id) {
        return session.executeAsync(select.bind(kind.name(), id).setIdempotent(true).setConsistencyLevel(serialConsistency))
                .thenApply(result -> Optional.ofNullable(result.one()).map(HomeTable::home));
    }

    CompletionStage<StoredHome> claim(Kind kind, String id, String region) {
        return session.executeAsync(insertIfAbsent.bind(kind.name(), id, region))
                .thenApply(result -> result.wasApplied() ? new StoredHome(region, 1) : home(result.one()));
    }

    CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
        StoredHome moved = new StoredHome(newRegion, expectedEpoch + 1);
        return session.executeAsync(moveIfEpoch.bind(newRegion, moved.epoch(), kind.name(), id, expectedEpoch))
                .thenApply(result -> result.wasApplied() ? Optional.of(moved) : Optional.<StoredHome>empty());
    }

    private static StoredHome home(Row row) {
        return new StoredHome(row.getString("region"), row.getLong("epoch"));
    }
}
