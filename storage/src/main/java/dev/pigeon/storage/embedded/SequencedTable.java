package dev.pigeon.storage.embedded;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A table of partitions (a conversation's log, a user's inbox) whose entries sit at positions 1,
 * 2, 3... with an index from each entry's natural key to its position.
 *
 * <p>Appends to one partition are serialised by its stripe lock, which is held from reading the
 * head to the end of the write: the index check, the position and the write form one step, so
 * positions are contiguous and a natural key is never appended twice. Entry and index go in one
 * atomic write batch, so after a crash either both exist or neither does.
 */
final class SequencedTable {
    private final Database database;
    private final Table entries;
    private final Table index;
    private final Stripes stripes;

    SequencedTable(Database database, Table entries, Table index, Stripes stripes) {
        this.database = database;
        this.entries = entries;
        this.index = index;
        this.stripes = stripes;
    }

    /** An entry at its position; {@code value} is what is stored there. */
    record Positioned(long position, byte[] value) {
    }

    /**
     * Appends the value that {@code valueAt} makes for the next position of {@code partition},
     * unless {@code indexKey} already has a position: then returns what is stored there.
     */
    Positioned append(byte[] partition, byte[] indexKey, LongFunction<byte[]> valueAt) throws Exception {
        return stripes.locked(partition, stripe -> {
            byte[] existing = database.get(index, indexKey);
            if (existing != null) {
                long position = Key.decodePosition(existing);
                return new Positioned(position, storedAt(partition, position));
            }
            long position = stripe.head(partition, () -> head(partition)) + 1;
            byte[] value = valueAt.apply(position);
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(database.handle(entries), Key.at(partition, position), value);
                batch.put(database.handle(index), indexKey, Key.encodePosition(position));
                database.write(batch);
            } catch (RocksDBException e) {
                // A failed fsync may leave the batch applied: the head is read from disk again next time.
                stripe.forgetHead(partition);
                throw e;
            }
            stripe.setHead(partition, position);
            return new Positioned(position, value);
        });
    }

    /** The entry {@code indexKey} points at, or null when it has none. */
    Positioned find(byte[] partition, byte[] indexKey) throws RocksDBException {
        byte[] existing = database.get(index, indexKey);
        if (existing == null) {
            return null;
        }
        long position = Key.decodePosition(existing);
        return new Positioned(position, storedAt(partition, position));
    }

    /** The newest position of {@code partition}, 0 when it is empty. */
    long head(byte[] partition) throws RocksDBException {
        try (RocksIterator it = database.db().newIterator(database.handle(entries))) {
            it.seekForPrev(Key.at(partition, Long.MAX_VALUE));
            if (it.isValid() && Key.isPositionIn(it.key(), partition)) {
                return Key.positionOf(it.key());
            }
            it.status();
            return 0;
        }
    }

    /** Entries after {@code after}, oldest first, at most {@code limit}. */
    List<Positioned> readAfter(byte[] partition, long after, int limit) throws RocksDBException {
        List<Positioned> out = new ArrayList<>();
        if (limit <= 0 || after == Long.MAX_VALUE) {
            return out;
        }
        try (RocksIterator it = database.db().newIterator(database.handle(entries))) {
            for (it.seek(Key.at(partition, Math.max(after, 0) + 1));
                 it.isValid() && out.size() < limit && Key.isPositionIn(it.key(), partition); it.next()) {
                out.add(new Positioned(Key.positionOf(it.key()), it.value()));
            }
            it.status();
        }
        return out;
    }

    /** Entries before {@code before}, newest first, at most {@code limit}. */
    List<Positioned> readBefore(byte[] partition, long before, int limit) throws RocksDBException {
        List<Positioned> out = new ArrayList<>();
        if (limit <= 0 || before <= 1) {
            return out;
        }
        try (RocksIterator it = database.db().newIterator(database.handle(entries))) {
            for (it.seekForPrev(Key.at(partition, before - 1));
                 it.isValid() && out.size() < limit && Key.isPositionIn(it.key(), partition); it.prev()) {
                out.add(new Positioned(Key.positionOf(it.key()), it.value()));
            }
            it.status();
        }
        return out;
    }

    private byte[] storedAt(byte[] partition, long position) throws RocksDBException {
        byte[] value = database.get(entries, Key.at(partition, position));
        if (value == null) {
            throw new IllegalStateException(entries + " index points at position " + position + ", which holds nothing");
        }
        return value;
    }
}
