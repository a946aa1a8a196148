package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One keyspace replicated to two data centres ({@code ops/bin/services up --regions}): dc1 is the
 * node named by {@code PIGEON_TEST_CASSANDRA}, dc2 the one named by {@code PIGEON_TEST_CASSANDRA_DC2}.
 * A store in each, as each region would hold; what one acknowledges with LOCAL_QUORUM reaches the
 * other asynchronously. Skipped when no dc2 node is named.
 */
class CassandraTwoDataCentresIT {
    private static final String DC2_SERVER_VARIABLE = "PIGEON_TEST_CASSANDRA_DC2";
    private static final Replication BOTH = Replication.networkTopology(Map.of("dc1", 1, "dc2", 1));
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

    private static TestKeyspace keyspace;
    private static CassandraMessageStore dc1;
    private static CassandraMessageStore dc2;

    @BeforeAll
    static void connectInBothDataCentres() {
        String dc2Server = System.getenv(DC2_SERVER_VARIABLE);
        assumeTrue(dc2Server != null && !dc2Server.isBlank(),
                DC2_SERVER_VARIABLE + " is not set (start the servers with `ops/bin/services up --regions`)");
        keyspace = TestKeyspace.create();
        // dc1 first: it creates the keyspace and its tables, which dc2 then finds in place.
        dc1 = CassandraMessageStore.connect(keyspace.optionsBuilder()
                .localDatacenter("dc1")
                .replication(BOTH)
                .consistency(DefaultConsistencyLevel.LOCAL_QUORUM)
                .build());
        dc2 = CassandraMessageStore.connect(keyspace.optionsBuilder()
                .contactPoints(List.of(CassandraStoreOptions.contactPoint(dc2Server)))
                .localDatacenter("dc2")
                .replication(BOTH)
                .consistency(DefaultConsistencyLevel.LOCAL_QUORUM)
                .build());
    }

    @AfterAll
    static void closeAndDrop() {
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

    @Test
    void theKeyspaceIsReplicatedToEachDataCentre() {
        Map<String, String> replication = keyspace.session()
                .execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                        keyspace.options().keyspace())
                .one().getMap("replication", String.class, String.class);

        assertThat(replication).containsEntry("dc1", "1").containsEntry("dc2", "1")
                .hasEntrySatisfying("class", strategy -> assertThat(strategy).endsWith("NetworkTopologyStrategy"));
    }

    @Test
    void aLogEntryAppendedInDc1BecomesReadableInDc2() {
        LogEntry appended = result(dc1.appendToLog(new MessageDraft("g:regions", "alice", "m1", "hello dc2", null, 1)));

        await().atMost(REPLICATION_WAIT).untilAsserted(() ->
                assertThat(result(dc2.readLog("g:regions", Long.MAX_VALUE, 10))).containsExactly(appended));
    }

    @Test
    void anInboxEntryAppendedInDc1BecomesReadableInDc2() {
        LogEntry entry = result(dc1.appendToLog(new MessageDraft("d:alice:bob", "alice", "m1", "hi bob", null, 2)));
        long seq = result(dc1.appendToInbox("bob", entry));

        await().atMost(REPLICATION_WAIT).untilAsserted(() -> {
            assertThat(result(dc2.readInbox("bob", 0, 10))).containsExactly(new InboxEntry(seq, entry));
            assertThat(result(dc2.inboxHead("bob"))).isEqualTo(seq);
        });
    }

    private static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError("stage did not complete", e);
        }
    }
}
