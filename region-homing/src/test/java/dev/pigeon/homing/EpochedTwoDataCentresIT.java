package dev.pigeon.homing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.cassandra.CassandraMessageStore;
import dev.pigeon.storage.cassandra.CassandraStoreOptions;
import dev.pigeon.storage.cassandra.Replication;
import dev.pigeon.storage.cassandra.TestKeyspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The epoched store over one keyspace replicated to two data centres ({@code ops/bin/services up
 * --regions}): eu reads and writes dc1 (the node named by {@code PIGEON_TEST_CASSANDRA}), us dc2
 * (named by {@code PIGEON_TEST_CASSANDRA_DC2}). The rows the lost region acknowledged last are
 * written through dc1, with a write timestamp far in the future, and reach the survivor by
 * replication, as they would when dc1 rejoins; rows not replicated yet are taken out of dc2 alone.
 * Skipped unless both nodes are named.
 */
class EpochedTwoDataCentresIT extends EpochedMessageStoreContract {
    private static final String DC2_SERVER_VARIABLE = "PIGEON_TEST_CASSANDRA_DC2";
    private static final Replication BOTH = Replication.networkTopology(Map.of("dc1", 1, "dc2", 1));

    private static TestKeyspace keyspace;
    private static CassandraMessageStore dc1;
    private static CassandraMessageStore dc2;
    private static CqlSession dc2Session;
    private static CassandraRows dc1Rows;
    private static CassandraRows dc2Rows;

    @BeforeAll
    static void connectInBothDataCentres() {
        String dc1Server = System.getenv(TestKeyspace.SERVER_VARIABLE);
        String dc2Server = System.getenv(DC2_SERVER_VARIABLE);
        assumeTrue(dc1Server != null && !dc1Server.isBlank() && dc2Server != null && !dc2Server.isBlank(),
                TestKeyspace.SERVER_VARIABLE + " and " + DC2_SERVER_VARIABLE
                        + " name no two data centres (start them with `ops/bin/services up --regions`)");
        keyspace = TestKeyspace.create();
        InetSocketAddress dc2Node = CassandraStoreOptions.contactPoint(dc2Server);
        // dc1 first: it creates the keyspace and its tables, which dc2 then finds in place.
        dc1 = CassandraMessageStore.connect(keyspace.optionsBuilder()
                .localDatacenter("dc1")
                .replication(BOTH)
                .consistency(DefaultConsistencyLevel.LOCAL_QUORUM)
                .build());
        dc2 = CassandraMessageStore.connect(keyspace.optionsBuilder()
                .contactPoints(List.of(dc2Node))
                .localDatacenter("dc2")
                .replication(BOTH)
                .consistency(DefaultConsistencyLevel.LOCAL_QUORUM)
                .build());
        dc1Rows = new CassandraRows(keyspace.session());
        dc2Session = CassandraRows.session(dc2Node, "dc2", keyspace.options().keyspace());
        dc2Rows = new CassandraRows(dc2Session);
    }

    @AfterAll
    static void closeAndDrop() {
        if (dc2Session != null) {
            dc2Session.close();
        }
        if (dc2 != null) {
            dc2.close();
        }
        if (dc1 != null) {
            dc1.close();
        }
        if (keyspace != null) {
            keyspace.close();
        }
    }

    @Override
    protected Site eu() {
        return new Site(dc1, dc1);
    }

    @Override
    protected Site us() {
        return new Site(dc2, dc2);
    }

    @Override
    protected void orphanLogRow(String stream, LogEntry stored) {
        dc1Rows.insertLogRow(stream, stored, CassandraRows.FAR_FUTURE);
    }

    @Override
    protected void orphanInboxRow(String stream, long seq, LogEntry entry) {
        dc1Rows.insertInboxRow(stream, seq, entry, CassandraRows.FAR_FUTURE);
    }

    @Override
    protected void withholdLogRow(String stream, long convSeq) {
        dc2Rows.deleteLogRow(stream, convSeq);
    }

    @Override
    protected void withholdInboxRow(String stream, long seq) {
        dc2Rows.deleteInboxRow(stream, seq);
    }
}
