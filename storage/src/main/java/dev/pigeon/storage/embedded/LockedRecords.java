package dev.pigeon.storage.embedded;

import java.util.function.Function;

/**
 * Read-modify-write of single records (claims, offsets, groups) under the record's stripe lock,
 * so that concurrent updates of one key never interleave. Keys of different tables may share a
 * stripe; that costs a little contention, never correctness.
 */
final class LockedRecords {
    private static final int STRIPES = 256;

    private final Database database;
    private final Stripes stripes = new Stripes(STRIPES, 0);

    LockedRecords(Database database) {
        this.database = database;
    }

    /** What an update decided: the value to store ({@code null} to leave the record as it is) and the answer. */
    record Change<T>(byte[] newValue, T result) {
        static <T> Change<T> keep(T result) {
            return new Change<>(null, result);
        }

        static <T> Change<T> write(byte[] newValue, T result) {
            return new Change<>(newValue, result);
        }
    }

    /** Reads the record at {@code key} ({@code null} when absent), applies {@code update} and stores its outcome. */
    <T> T update(Table table, byte[] key, Function<byte[], Change<T>> update) throws Exception {
        return stripes.locked(key, stripe -> {
            Change<T> change = update.apply(database.get(table, key));
            if (change.newValue() != null) {
                database.put(table, key, change.newValue());
            }
            return change.result();
        });
    }

    byte[] get(Table table, byte[] key) throws Exception {
        return database.get(table, key);
    }
}
