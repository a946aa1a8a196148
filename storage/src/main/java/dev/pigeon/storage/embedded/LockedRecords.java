package dev.pigeon.storage.embedded;

import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Read-modify-write of single records (claims, offsets, groups, homes) under the record's stripe
 * lock, so that concurrent updates of one key never interleave. Keys of different tables may share
 * a stripe; that costs a little contention, never correctness. A change may carry writes to other
 * records that depend on it (an index entry), stored in the same atomic batch.
 */
final class LockedRecords {
    private static final int STRIPES = 256;

    private final Database database;
    private final Stripes stripes = new Stripes(STRIPES, 0);

    LockedRecords(Database database) {
        this.database = database;
    }

    /**
     * What an update decided: the value to store ({@code null} to leave the record as it is), the
     * answer, and the writes to other records that go with the new value.
     */
    record Change<T>(byte[] newValue, T result, List<Alongside> alongside) {
        static <T> Change<T> keep(T result) {
            return new Change<>(null, result, List.of());
        }

        static <T> Change<T> write(byte[] newValue, T result) {
            return new Change<>(newValue, result, List.of());
        }

        /** Also stores {@code value} at {@code key} of {@code table} ({@code null}: deletes it). */
        Change<T> with(Table table, byte[] key, byte[] value) {
            if (newValue == null) {
                throw new IllegalStateException("a change that keeps its record writes nothing alongside it");
            }
            List<Alongside> all = new ArrayList<>(alongside);
            all.add(new Alongside(table, key, value));
            return new Change<>(newValue, result, List.copyOf(all));
        }
    }

    /** A write to another record that goes with a change; a {@code null} value deletes the record. */
    record Alongside(Table table, byte[] key, byte[] value) {
    }

    /** Reads the record at {@code key} ({@code null} when absent), applies {@code update} and stores its outcome. */
    <T> T update(Table table, byte[] key, Function<byte[], Change<T>> update) throws Exception {
        return stripes.locked(key, stripe -> {
            Change<T> change = update.apply(database.get(table, key));
            if (change.newValue() != null) {
                store(table, key, change);
            }
            return change.result();
        });
    }

    private void store(Table table, byte[] key, Change<?> change) throws Exception {
        if (change.alongside().isEmpty()) {
            database.put(table, key, change.newValue());
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(database.handle(table), key, change.newValue());
            for (Alongside write : change.alongside()) {
                if (write.value() == null) {
                    batch.delete(database.handle(write.table()), write.key());
                } else {
                    batch.put(database.handle(write.table()), write.key(), write.value());
                }
            }
            database.write(batch);
        }
    }

    byte[] get(Table table, byte[] key) throws Exception {
        return database.get(table, key);
    }
}
