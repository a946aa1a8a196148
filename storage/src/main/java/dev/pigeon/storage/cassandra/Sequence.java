package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import static java.util.concurrent.CompletableFuture.completedFuture;

/**
 * One sequenced table (a conversation log or the inboxes) with its natural-key index and head
 * hints: appends that claim positions 1, 2, 3... with lightweight transactions, and range reads.
 * The algorithm and why it is right are in {@link CassandraMessageStore}.
 */
final class Sequence {
    static final long POSITIONS_PER_BUCKET = 10_000;
    /** Lost claims in a row (to other processes) before an append gives up. */
    static final int MAX_ATTEMPTS = 100;
    static final long HOME_EPOCH = 1;
    private static final Logger log = LoggerFactory.getLogger(Sequence.class);

    /** A position and the entry stored there. */
    record Slot(long position, LogEntry entry) {
    }

    private final CqlSession session;
    private final SequenceLayout layout;
    private final ConsistencyLevel serialConsistency;
    private final PartitionLanes lanes;
    private final PreparedStatement selectHighest;
    private final PreparedStatement selectSlot;
    private final PreparedStatement selectAfter;
    private final PreparedStatement selectBefore;
    private final PreparedStatement insertSlotIfAbsent;
    private final PreparedStatement insertIndex;
    private final PreparedStatement selectIndex;
    private final PreparedStatement selectHint;
    private final PreparedStatement updateHint;

    private Sequence(CqlSession session, SequenceLayout layout, ConsistencyLevel serialConsistency, Executor laneExecutor,
                     List<PreparedStatement> prepared) {
        this.session = session;
        this.layout = layout;
        this.serialConsistency = serialConsistency;
        this.lanes = new PartitionLanes(laneExecutor);
        this.selectHighest = prepared.get(0);
        this.selectSlot = prepared.get(1);
        this.selectAfter = prepared.get(2);
        this.selectBefore = prepared.get(3);
        this.insertSlotIfAbsent = prepared.get(4);
        this.insertIndex = prepared.get(5);
        this.selectIndex = prepared.get(6);
        this.selectHint = prepared.get(7);
        this.updateHint = prepared.get(8);
    }

    /** Prepares the statements of {@code layout}. */
    static CompletionStage<Sequence> prepare(CqlSession session, SequenceLayout layout,
                                             ConsistencyLevel serialConsistency, Executor laneExecutor) {
        return Statements.prepareAll(session, List.of(layout.selectHighest(), layout.selectSlot(),
                        layout.selectAfter(), layout.selectBefore(), layout.insertSlotIfAbsent(), layout.insertIndex(),
                        layout.selectIndex(), "SELECT head FROM heads WHERE stream = :stream AND id = :id",
                        "UPDATE heads SET head = :head WHERE stream = :stream AND id = :id"))
                .thenApply(prepared -> new Sequence(session, layout, serialConsistency, laneExecutor, prepared));
    }

    static long bucketOf(long position) {
        return position / POSITIONS_PER_BUCKET;
    }

    static long lastOf(long bucket) {
        return (bucket + 1) * POSITIONS_PER_BUCKET - 1;
    }

    /**
     * Appends {@code entry} to {@code partition} at the next position, or returns the slot that
     * already holds its natural key.
     */
    CompletionStage<Slot> append(String partition, LogEntry entry) {
        return lanes.run(partition, knownHead -> (knownHead > 0 ? completedFuture(knownHead) : hint(partition))
                .thenCompose(hint -> attempt(partition, entry, hint, hint, 1)), Slot::position);
    }

    /**
     * The slot holding the natural key of {@code entry}, found through the index, or as the head
     * (the one slot that may lack its index row); writes nothing.
     */
    CompletionStage<Optional<Slot>> find(String partition, LogEntry entry) {
        return lookup(partition, entry).thenCompose(found -> {
            if (found.isPresent()) {
                return slot(partition, found.get()).thenApply(Optional::of);
            }
            return hint(partition)
                    .thenCompose(hint -> headFrom(partition, bucketOf(hint), Optional.empty(), null))
                    .thenCompose(head -> head.isPresent() && layout.holds(head.get(), entry)
                            ? slot(partition, head.get().position()).thenApply(Optional::of)
                            : completedFuture(Optional.<Slot>empty()));
        });
    }

    /** The newest position of {@code partition}, 0 when it is empty. */
    CompletionStage<Long> head(String partition) {
        return hint(partition)
                .thenCompose(hint -> headFrom(partition, bucketOf(hint), Optional.empty(), null))
                .thenApply(head -> head.map(SlotKey::position).orElse(0L));
    }

    /** Slots after {@code after}, oldest first, at most {@code limit}. */
    CompletionStage<List<Slot>> readAfter(String partition, long after, int limit) {
        if (limit == 0 || after == Long.MAX_VALUE) {
            return completedFuture(List.of());
        }
        return readForward(partition, Math.max(after, 0) + 1, limit, new ArrayList<>());
    }

    /** Slots before {@code before}, newest first, at most {@code limit}. */
    CompletionStage<List<Slot>> readBefore(String partition, long before, int limit) {
        if (limit == 0 || before <= 1) {
            return completedFuture(List.of());
        }
        return head(partition).thenCompose(head -> {
            long start = Math.min(before - 1, head);
            return start < 1 ? completedFuture(List.of()) : readBackward(partition, start, limit, new ArrayList<>());
        });
    }

    // ---- appending ----

    /**
     * One try: find the head from {@code from}, repair its index row, look for the entry, claim
     * the next slot. A lost claim means another writer appended meanwhile: try again from the slot
     * it took. {@code hint} is where the first try started.
     */
    private CompletionStage<Slot> attempt(String partition, LogEntry entry, long hint, long from, int attempt) {
        return headFrom(partition, bucketOf(from), Optional.empty(), serialConsistency).thenCompose(head -> {
            if (head.isPresent() && layout.holds(head.get(), entry)) {
                return index(partition, head.get()).thenCompose(indexed -> slot(partition, head.get().position()));
            }
            CompletionStage<Void> repaired = head.isPresent() ? index(partition, head.get()) : completedFuture(null);
            return repaired.thenCombine(lookup(partition, entry), (done, found) -> found).thenCompose(found -> {
                if (found.isPresent()) {
                    return slot(partition, found.get());
                }
                long position = head.map(SlotKey::position).orElse(0L) + 1;
                return claim(partition, position, entry).thenCompose(won -> {
                    if (won) {
                        return hintIfBehind(partition, hint, position)
                                .thenApply(hinted -> new Slot(position, layout.stored(entry, position)));
                    }
                    if (attempt >= MAX_ATTEMPTS) {
                        throw new StorageUnavailableException("append to " + layout.table + " lost " + attempt
                                + " claims in a row to other writers", null);
                    }
                    return attempt(partition, entry, hint, position, attempt + 1);
                });
            });
        });
    }

    /** Claims {@code position} for {@code entry}: false when another entry holds it. */
    private CompletionStage<Boolean> claim(String partition, long position, LogEntry entry) {
        BoundStatement insert = Binding.of(insertSlotIfAbsent).entry(layout.stored(entry, position))
                .text(layout.partitionColumn, partition)
                .number("bucket", bucketOf(position))
                .number(layout.positionColumn, position)
                .number("home_epoch", HOME_EPOCH)
                .build();
        return session.executeAsync(insert).thenApply(AsyncResultSet::wasApplied);
    }

    /**
     * Moves the hint up when the new head is in a later bucket than the hint: a hint only needs to
     * name the head's bucket. The append is complete whether or not this write succeeds.
     */
    private CompletionStage<Void> hintIfBehind(String partition, long hint, long head) {
        if (bucketOf(head) <= bucketOf(hint)) {
            return completedFuture(null);
        }
        return session.executeAsync(updateHint.bind(head, layout.stream, partition).setIdempotent(true))
                .handle((result, error) -> {
                    if (error != null) {
                        log.debug("could not move the {} hint of {} to {}", layout.stream, partition, head, error);
                    }
                    return null;
                });
    }

    private CompletionStage<Void> index(String partition, SlotKey key) {
        BoundStatement insert = Binding.of(insertIndex).key(key)
                .text(layout.partitionColumn, partition)
                .number(layout.positionColumn, key.position())
                .build().setIdempotent(true);
        return session.executeAsync(insert).thenApply(result -> null);
    }

    private CompletionStage<Optional<Long>> lookup(String partition, LogEntry entry) {
        BoundStatement select = Binding.of(selectIndex).entry(entry).text(layout.partitionColumn, partition)
                .build().setIdempotent(true);
        return session.executeAsync(select)
                .thenApply(result -> Optional.ofNullable(result.one()).map(row -> row.getLong(0)));
    }

    private CompletionStage<Long> hint(String partition) {
        BoundStatement select = selectHint.bind(layout.stream, partition).setIdempotent(true);
        return session.executeAsync(select).thenApply(result -> {
            Row row = result.one();
            return row == null ? 0L : row.getLong(0);
        });
    }

    // ---- finding the head ----

    /**
     * The highest slot from {@code bucket} on: slots are contiguous, so it is the highest of the
     * first bucket that is not full. {@code consistency} null means the session's default.
     */
    private CompletionStage<Optional<SlotKey>> headFrom(String partition, long bucket, Optional<SlotKey> below,
                                                        ConsistencyLevel consistency) {
        BoundStatement select = selectHighest.bind(partition, bucket).setIdempotent(true);
        if (consistency != null) {
            select = select.setConsistencyLevel(consistency);
        }
        return session.executeAsync(select).thenCompose(result -> {
            Row row = result.one();
            if (row == null) {
                if (below.isEmpty() && bucket > 0) {
                    // A hint is never written ahead of the head, so only lost data brings us here.
                    log.warn("{} head hint of {} points at empty bucket {}; searching from the start",
                            layout.table, partition, bucket);
                    return headFrom(partition, 0, Optional.empty(), consistency);
                }
                return completedFuture(below);
            }
            SlotKey highest = SlotKey.of(layout, row);
            return highest.position() == lastOf(bucket)
                    ? headFrom(partition, bucket + 1, Optional.of(highest), consistency)
                    : completedFuture(Optional.of(highest));
        });
    }

    // ---- reading ----

    private CompletionStage<Slot> slot(String partition, long position) {
        BoundStatement select = selectSlot.bind(partition, bucketOf(position), position).setIdempotent(true);
        return session.executeAsync(select).thenApply(result -> {
            Row row = result.one();
            if (row == null) {
                // the index row reached this data centre before the slot it names: not yet, rather than never
                throw new StorageUnavailableException(layout.indexTable + " of " + partition + " points at position "
                        + position + ", which holds nothing here yet", null);
            }
            return slot(row);
        });
    }

    private CompletionStage<List<Slot>> readForward(String partition, long from, int limit, List<Slot> into) {
        long bucket = bucketOf(from);
        BoundStatement select = Binding.of(selectAfter).text(layout.partitionColumn, partition)
                .number("bucket", bucket).number(layout.positionColumn, from).limit(limit - into.size())
                .build().setIdempotent(true);
        return Statements.rows(session.executeAsync(select)).thenCompose(rows -> {
            rows.forEach(row -> into.add(slot(row)));
            long next = rows.isEmpty() ? from : into.get(into.size() - 1).position() + 1;
            return into.size() < limit && bucketOf(next) != bucket
                    ? readForward(partition, next, limit, into)
                    : completedFuture(into);
        });
    }

    private CompletionStage<List<Slot>> readBackward(String partition, long from, int limit, List<Slot> into) {
        long bucket = bucketOf(from);
        BoundStatement select = Binding.of(selectBefore).text(layout.partitionColumn, partition)
                .number("bucket", bucket).number(layout.positionColumn, from).limit(limit - into.size())
                .build().setIdempotent(true);
        return Statements.rows(session.executeAsync(select)).thenCompose(rows -> {
            rows.forEach(row -> into.add(slot(row)));
            return into.size() < limit && bucket > 0
                    ? readBackward(partition, bucket * POSITIONS_PER_BUCKET - 1, limit, into)
                    : completedFuture(into);
        });
    }

    private Slot slot(Row row) {
        return new Slot(row.getLong(layout.positionColumn), new LogEntry(row.getString("conversation"),
                row.getLong("conv_seq"), row.getString("sender"), row.getString("client_id"), row.getString("body"),
                row.getString("format"), row.getLong("ts")));
    }
}
