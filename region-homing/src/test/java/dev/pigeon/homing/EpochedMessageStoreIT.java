package dev.pigeon.homing;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.cassandra.CassandraMessageStore;
import dev.pigeon.storage.cassandra.Replication;
import dev.pigeon.storage.cassandra.TestKeyspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The epoched store over a real Cassandra, one data centre for both regions. Rows that arrive
 * late are written straight into the tables with a write timestamp far in the future, so that
 * they would win against any row of the same key (last write wins).
 */
class EpochedMessageStoreIT extends EpochedMessageStoreContract {
    private static TestKeyspace keyspace;
    private static CassandraMessageStore store;
    private static CassandraRows rows;

    @BeforeAll
    static void connect() {
        String server = System.getenv(TestKeyspace.SERVER_VARIABLE);
        assumeTrue(server != null && !server.isBlank(), TestKeyspace.SERVER_VARIABLE + " is not set");
        keyspace = TestKeyspace.create();
        // Replicated to the local data centre only, which also serves when a second one is running.
        store = CassandraMessageStore.connect(keyspace.optionsBuilder()
                .replication(Replication.networkTopology(Map.of(keyspace.options().localDatacenter(), 1)))
                .build());
        rows = new CassandraRows(keyspace.session());
    }

    @AfterAll
    static void closeAndDrop() {
        if (store != null) {
            store.close();
        }
        if (keyspace != null) {
            keyspace.close();
        }
    }

    @Override
    protected Site eu() {
        return new Site(store, store);
    }

    @Override
    protected Site us() {
        return new Site(store, store);
    }

    @Override
    protected void orphanLogRow(String stream, LogEntry stored) {
        rows.insertLogRow(stream, stored, CassandraRows.FAR_FUTURE);
    }

    @Override
    protected void orphanInboxRow(String stream, long seq, LogEntry entry) {
        rows.insertInboxRow(stream, seq, entry, CassandraRows.FAR_FUTURE);
    }

    @Override
    protected void withholdLogRow(String stream, long convSeq) {
        rows.deleteLogRow(stream, convSeq);
    }

    @Override
    protected void withholdInboxRow(String stream, long seq) {
        rows.deleteInboxRow(stream, seq);
    }

    /** The hazard the keys avoid: a row arriving later at the same key replaces what was there. */
    @Test
    void aRowWithANewerWriteTimestampReplacesTheRowAtItsKey() {
        String conversation = "g:" + fresh();
        result(store.appendToLog(new MessageDraft(conversation, "bob", "s1", "new 1", null, 1)));

        rows.insertLogRow(conversation, new LogEntry(conversation, 1, "carol", "o1", "old 1", null, 1),
                CassandraRows.FAR_FUTURE);

        assertThat(result(store.readLog(conversation, Long.MAX_VALUE, 10))).extracting(LogEntry::body)
                .containsExactly("old 1");
    }
}
