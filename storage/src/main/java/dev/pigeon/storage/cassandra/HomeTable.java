package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Homes of users and conversations in {@code homes ((kind, id))}, the starts of their later
 * epochs in {@code stream_starts ((kind, id), epoch)} and the index {@code homes_by_region
 * ((region), kind, id)}. Claims are INSERT IF NOT EXISTS (a lost claim returns the winner's row);
 * moves are UPDATE ... IF epoch = ?, and a planned move is marked with UPDATE ... IF epoch = ? AND
 * moving_to = null, so each is decided by one lightweight transaction. Reads are SERIAL, which
 * sees every decided transaction and completes one in progress, so a read never trails a claim or
 * move that has been answered.
 *
 * <p>A home's region changes only together with its epoch, so the region read at an epoch is the
 * region for as long as a transaction conditioned on that epoch applies: a move and a mark read
 * the home first, to learn the region they leave, and then decide on the epoch alone.
 *
 * <p>The index is written after the transaction that decided the home, so a crash in between
 * leaves an id out of it (and a claim or move whose index write fails fails as a whole, though
 * the home is decided: like any lightweight transaction whose answer was lost, the caller reads
 * the home again). A claim that finds the home already taken writes the index row of that home
 * again, which repairs it. The row of a region moved away from is deleted best effort:
 * {@link #homedIn} checks every listed id against {@code homes}.
 */
final class HomeTable {
    private static final Logger log = LoggerFactory.getLogger(HomeTable.class);
    private static final int HOMES_READ_AT_ONCE = 64;

    private final CqlSession session;
    private final ConsistencyLevel serialConsistency;
    private final PreparedStatement select;
    private final PreparedStatement insertIfAbsent;
    private final PreparedStatement moveIfEpoch;
    private final PreparedStatement markIfEpoch;
    private final PreparedStatement insertStart;
    private final PreparedStatement selectStarts;
    private final PreparedStatement index;
    private final PreparedStatement unindex;
    private final PreparedStatement selectIndexed;

    private HomeTable(CqlSession session, ConsistencyLevel serialConsistency, List<PreparedStatement> prepared) {
        this.session = session;
        this.serialConsistency = serialConsistency;
        this.select = prepared.get(0);
        this.insertIfAbsent = prepared.get(1);
        this.moveIfEpoch = prepared.get(2);
        this.markIfEpoch = prepared.get(3);
        this.insertStart = prepared.get(4);
        this.selectStarts = prepared.get(5);
        this.index = prepared.get(6);
        this.unindex = prepared.get(7);
        this.selectIndexed = prepared.get(8);
    }

    static CompletionStage<HomeTable> prepare(CqlSession session, ConsistencyLevel serialConsistency) {
        return Statements.prepareAll(session, List.of(
                        "SELECT region, epoch, moving_to FROM homes WHERE kind = ? AND id = ?",
                        "INSERT INTO homes (kind, id, region, epoch) VALUES (?, ?, ?, 1) IF NOT EXISTS",
                        "UPDATE homes SET region = ?, epoch = ?, moving_to = null WHERE kind = ? AND id = ? IF epoch = ?",
                        "UPDATE homes SET moving_to = ? WHERE kind = ? AND id = ? IF epoch = ? AND moving_to = null",
                        "INSERT INTO stream_starts (kind, id, epoch, start) VALUES (?, ?, ?, ?) IF NOT EXISTS",
                        "SELECT epoch, start FROM stream_starts WHERE kind = ? AND id = ? ORDER BY epoch ASC",
                        "INSERT INTO homes_by_region (region, kind, id) VALUES (?, ?, ?)",
                        "DELETE FROM homes_by_region WHERE region = ? AND kind = ? AND id = ?",
                        "SELECT kind, id FROM homes_by_region WHERE region = ?"))
                .thenApply(prepared -> new HomeTable(session, serialConsistency, prepared));
    }

    CompletionStage<Optional<StoredHome>> get(Kind kind, String id) {
        return session.executeAsync(select.bind(kind.name(), id).setIdempotent(true).setConsistencyLevel(serialConsistency))
                .thenApply(result -> Optional.ofNullable(result.one()).map(HomeTable::home));
    }

    CompletionStage<StoredHome> claim(Kind kind, String id, String region) {
        return session.executeAsync(insertIfAbsent.bind(kind.name(), id, region))
                .thenApply(result -> result.wasApplied() ? new StoredHome(region, 1) : home(result.one()))
                .thenCompose(home -> index(kind, id, home.region()).thenApply(indexed -> home));
    }

    CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
        StoredHome moved = new StoredHome(newRegion, expectedEpoch + 1);
        return atEpoch(kind, id, expectedEpoch, left -> session.executeAsync(
                        moveIfEpoch.bind(newRegion, moved.epoch(), kind.name(), id, expectedEpoch))
                .thenCompose(result -> result.wasApplied()
                        ? index(kind, id, newRegion)
                                .thenCompose(indexed -> unindexBestEffort(kind, id, left.region(), newRegion))
                                .thenApply(unindexed -> Optional.of(moved))
                        : CompletableFuture.completedFuture(Optional.<StoredHome>empty())));
    }

    CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion) {
        return atEpoch(kind, id, expectedEpoch, current -> current.moving()
                ? CompletableFuture.completedFuture(Optional.empty())
                : session.executeAsync(markIfEpoch.bind(toRegion, kind.name(), id, expectedEpoch))
                        .thenApply(result -> result.wasApplied()
                                ? Optional.of(new StoredHome(current.region(), expectedEpoch, toRegion))
                                : Optional.<StoredHome>empty()));
    }

    CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart) {
        StreamStart proposed = new StreamStart(epoch, proposedStart);
        return session.executeAsync(insertStart.bind(kind.name(), id, proposed.epoch(), proposed.start()))
                .thenApply(result -> result.wasApplied() ? proposed.start() : result.one().getLong("start"));
    }

    CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id) {
        return Statements.rows(session.executeAsync(selectStarts.bind(kind.name(), id).setIdempotent(true)
                        .setConsistencyLevel(serialConsistency)))
                .thenApply(rows -> rows.stream().map(row -> new StreamStart(row.getLong("epoch"), row.getLong("start")))
                        .toList());
    }

    /**
     * Every indexed id of {@code region} whose home, read from {@code homes}, is still there. The
     * homes are read {@value #HOMES_READ_AT_ONCE} at a time, not all at once: a region may hold
     * many ids and this must not crowd out other calls. Plain reads, not SERIAL: whoever acts on
     * the list moves each id under its epoch, which a stale read cannot get past.
     */
    CompletionStage<List<HomedId>> homedIn(String region) {
        return Statements.rows(session.executeAsync(selectIndexed.bind(region).setIdempotent(true)))
                .thenCompose(rows -> homesStillIn(region, rows, 0, new ArrayList<>()));
    }

    private CompletionStage<List<HomedId>> homesStillIn(String region, List<Row> indexed, int from, List<HomedId> into) {
        if (from >= indexed.size()) {
            return CompletableFuture.completedFuture(into);
        }
        List<CompletableFuture<Optional<HomedId>>> homes = indexed.subList(from,
                Math.min(indexed.size(), from + HOMES_READ_AT_ONCE)).stream().map(row -> {
                    Kind kind = Kind.valueOf(row.getString("kind"));
                    String id = row.getString("id");
                    return session.executeAsync(select.bind(kind.name(), id).setIdempotent(true))
                            .thenApply(result -> Optional.ofNullable(result.one()).map(HomeTable::home)
                                    .filter(home -> home.region().equals(region))
                                    .map(home -> new HomedId(kind, id, home)))
                            .toCompletableFuture();
                }).toList();
        return CompletableFuture.allOf(homes.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            homes.forEach(home -> home.join().ifPresent(into::add));
            return homesStillIn(region, indexed, from + HOMES_READ_AT_ONCE, into);
        });
    }

    /** Runs {@code decide} on the home of {@code id} when it is at {@code expectedEpoch}; empty otherwise. */
    private CompletionStage<Optional<StoredHome>> atEpoch(Kind kind, String id, long expectedEpoch,
                                                           Function<StoredHome, CompletionStage<Optional<StoredHome>>> decide) {
        return get(kind, id).thenCompose(home -> home.isPresent() && home.get().epoch() == expectedEpoch
                ? decide.apply(home.get())
                : CompletableFuture.completedFuture(Optional.empty()));
    }

    private CompletionStage<Void> index(Kind kind, String id, String region) {
        return session.executeAsync(index.bind(region, kind.name(), id).setIdempotent(true)).thenApply(result -> null);
    }

    /** Completes normally either way: a row left behind is skipped by {@link #homedIn}. */
    private CompletionStage<Void> unindexBestEffort(Kind kind, String id, String oldRegion, String newRegion) {
        if (oldRegion.equals(newRegion)) {
            return CompletableFuture.completedFuture(null);
        }
        return session.executeAsync(unindex.bind(oldRegion, kind.name(), id).setIdempotent(true))
                .handle((result, error) -> {
                    if (error != null) {
                        log.warn("Could not remove {} {} from the homes of {}; readers skip it", kind, id, oldRegion, error);
                    }
                    return null;
                });
    }

    private static StoredHome home(Row row) {
        return new StoredHome(row.getString("region"), row.getLong("epoch"), row.getString("moving_to"));
    }
}
