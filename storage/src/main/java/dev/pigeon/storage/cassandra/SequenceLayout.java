package dev.pigeon.storage.cassandra;

import dev.pigeon.protocol.LogEntry;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The two sequenced tables, which differ only in names: a conversation's log at {@code conv_seq}
 * and a user's inbox at {@code seq}, each with its index from natural key to position. Both hold
 * the columns of a {@link LogEntry}; statements bind values by column name.
 */
enum SequenceLayout {
    LOG("log", "conversation_log", "conversation", "conv_seq", "log_ids", List.of("conversation", "sender", "client_id")) {
        @Override
        boolean holds(SlotKey slot, LogEntry entry) {
            return slot.sender().equals(entry.from()) && slot.clientId().equals(entry.id());
        }

        @Override
        LogEntry stored(LogEntry entry, long position) {
            return new LogEntry(entry.conversation(), position, entry.from(), entry.id(), entry.body(), entry.format(),
                    entry.ts());
        }
    },
    INBOX("inbox", "inbox", "user", "seq", "inbox_ids", List.of("user", "conversation", "conv_seq")) {
        @Override
        boolean holds(SlotKey slot, LogEntry entry) {
            return slot.conversation().equals(entry.conversation()) && slot.convSeq() == entry.convSeq();
        }

        @Override
        LogEntry stored(LogEntry entry, long position) {
            return entry;
        }
    };

    /** The columns of a {@link LogEntry}, in every sequenced table. */
    static final List<String> ENTRY_COLUMNS = List.of("conversation", "conv_seq", "sender", "client_id", "body",
            "format", "ts");
    static final List<String> KEY_COLUMNS = List.of("conversation", "conv_seq", "sender", "client_id");

    /** Names this sequence in the {@code heads} table. */
    final String stream;
    final String table;
    final String partitionColumn;
    final String positionColumn;
    final String indexTable;
    final List<String> indexKeyColumns;

    SequenceLayout(String stream, String table, String partitionColumn, String positionColumn, String indexTable,
                   List<String> indexKeyColumns) {
        this.stream = stream;
        this.table = table;
        this.partitionColumn = partitionColumn;
        this.positionColumn = positionColumn;
        this.indexTable = indexTable;
        this.indexKeyColumns = indexKeyColumns;
    }

    /** True when the slot holds the entry with the natural key of {@code entry}. */
    abstract boolean holds(SlotKey slot, LogEntry entry);

    /** The entry as stored at {@code position} (the log gives it its {@code conv_seq}). */
    abstract LogEntry stored(LogEntry entry, long position);

    // ---- CQL ----

    String selectHighest() {
        return "SELECT " + String.join(", ", columns(List.of(positionColumn), KEY_COLUMNS)) + " FROM " + table
                + " WHERE " + partitionColumn + " = :" + partitionColumn + " AND bucket = :bucket ORDER BY "
                + positionColumn + " DESC LIMIT 1";
    }

    String selectSlot() {
        return "SELECT * FROM " + table + " WHERE " + partitionColumn + " = :" + partitionColumn
                + " AND bucket = :bucket AND " + positionColumn + " = :" + positionColumn;
    }

    String selectAfter() {
        return "SELECT * FROM " + table + " WHERE " + partitionColumn + " = :" + partitionColumn
                + " AND bucket = :bucket AND " + positionColumn + " >= :" + positionColumn + " ORDER BY "
                + positionColumn + " ASC LIMIT :max_rows";
    }

    String selectBefore() {
        return "SELECT * FROM " + table + " WHERE " + partitionColumn + " = :" + partitionColumn
                + " AND bucket = :bucket AND " + positionColumn + " <= :" + positionColumn + " ORDER BY "
                + positionColumn + " DESC LIMIT :max_rows";
    }

    String insertSlotIfAbsent() {
        Set<String> columns = columns(List.of(partitionColumn, "bucket", positionColumn), ENTRY_COLUMNS,
                List.of("home_epoch"));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> ":" + c).collect(Collectors.joining(", ")) + ") IF NOT EXISTS";
    }

    String insertIndex() {
        Set<String> columns = columns(indexKeyColumns, List.of(positionColumn));
        return "INSERT INTO " + indexTable + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> ":" + c).collect(Collectors.joining(", ")) + ")";
    }

    String selectIndex() {
        return "SELECT " + positionColumn + " FROM " + indexTable + " WHERE "
                + indexKeyColumns.stream().map(c -> c + " = :" + c).collect(Collectors.joining(" AND "));
    }

    @SafeVarargs
    private static Set<String> columns(List<String>... lists) {
        Set<String> columns = new LinkedHashSet<>();
        for (List<String> list : lists) {
            columns.addAll(list);
        }
        return columns;
    }
}
