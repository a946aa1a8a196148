package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;

/**
 * A position of a sequenced table and the natural key of what it holds: enough to index it and to
 * recognise an entry, without its body.
 */
record SlotKey(long position, String conversation, long convSeq, String sender, String clientId) {

    static SlotKey of(SequenceLayout layout, Row row) {
        return new SlotKey(row.getLong(layout.positionColumn), row.getString("conversation"), row.getLong("conv_seq"),
                row.getString("sender"), row.getString("client_id"));
    }
}
