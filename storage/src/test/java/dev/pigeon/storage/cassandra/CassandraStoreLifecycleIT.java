package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.Stages;
import dev.pigeon.storage.StorageUnavailableException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;

import static dev.pigeon.storage.Stages.await;
import static dev.pigeon.storage.Stages.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connecting, migrations, closing and the bound on calls in progress. */
class CassandraStoreLifecycleIT {
    @RegisterExtension
    static final ConnectedStore cassandra = new ConnectedStore();
    private static TestKeyspace keyspace;
    private static CassandraMessageStore store;

    @BeforeAll
    static void shorthands() {
        keyspace = cassandra.keyspace();
        store = cassandra.store();
    }

    @Test
    void migrationsAreAppliedOnceAndConnectingAgainChangesNothing() {
        Row applied = keyspace.session().execute("SELECT version, script, applied_at FROM schema_migrations").one();
        LogEntry entry = await(store.appendToLog(new MessageDraft("g:kept", "alice", "m1", "hi", null, 1)));

        try (CassandraMessageStore again = CassandraMessageStore.connect(keyspace.options())) {
            assertThat(await(again.readLog("g:kept", Long.MAX_VALUE, 10))).containsExactly(entry);
        }

        List<Row> rows = keyspace.session().execute("SELECT version, script, applied_at FROM schema_migrations").all();
        assertThat(rows).hasSize(SchemaMigrations.SCRIPTS.size());
        assertThat(rows.get(0).getInt("version")).isEqualTo(1);
        assertThat(rows.get(0).getString("script")).isEqualTo("001_initial.cql");
        assertThat(rows.get(0).getInstant("applied_at")).isEqualTo(applied.getInstant("applied_at"));
        assertThat(keyspace.session().execute("SELECT * FROM schema_lock").all()).isEmpty();
    }

    @Test
    void storesStartingTogetherOnAFreshKeyspaceApplyEachMigrationOnce() throws Exception {
        try (TestKeyspace fresh = TestKeyspace.create()) {
            List<CompletableFuture<CassandraMessageStore>> starting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                starting.add(CompletableFuture.supplyAsync(() -> CassandraMessageStore.connect(fresh.options())));
            }
            List<CassandraMessageStore> started = new ArrayList<>();
            for (CompletableFuture<CassandraMessageStore> start : starting) {
                started.add(start.get(120, TimeUnit.SECONDS));
            }
            try {
                LogEntry first = await(started.get(0).appendToLog(new MessageDraft("g:c", "a", "m1", "b", null, 1)));
                assertThat(await(started.get(2).appendToLog(new MessageDraft("g:c", "a", "m1", "b", null, 1))))
                        .isEqualTo(first);
                assertThat(fresh.session().execute("SELECT version FROM schema_migrations").all())
                        .hasSize(SchemaMigrations.SCRIPTS.size());
            } finally {
                started.forEach(CassandraMessageStore::close);
            }
        }
    }

    @Test
    void aServerThatDoesNotAnswerFailsConnectWithStorageUnavailable() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
        CassandraStoreOptions options = keyspace.optionsBuilder().contactPoints(List.of(closedPort)).build();

        assertThatThrownBy(() -> CassandraMessageStore.connect(options))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(closedPort.toString());
    }

    @Test
    void everyCallAfterCloseFailsAsUnavailable() {
        CassandraMessageStore closing = CassandraMessageStore.connect(keyspace.options());
        closing.close();
        closing.close();

        assertThat(everyCall()).allSatisfy(call -> assertThat(failure(call.apply(closing)))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("closed"));
    }

    @Test
    void callsBeyondTheInFlightLimitFailAtOnceAndTheOthersComplete() {
        try (CassandraMessageStore narrow = CassandraMessageStore.connect(keyspace.optionsBuilder().maxInFlight(2).build())) {
            List<CompletableFuture<LogEntry>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(narrow.appendToLog(new MessageDraft("g:narrow", "alice", "m" + i, "b", null, i))
                        .toCompletableFuture());
            }

            List<Throwable> refused = calls.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .map(Stages::failure).toList();
            assertThat(refused).isNotEmpty().allSatisfy(e -> assertThat(e)
                    .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("overloaded"));
            List<LogEntry> accepted = calls.stream().filter(call -> !call.isCompletedExceptionally())
                    .map(Stages::await).toList();
            assertThat(accepted).extracting(LogEntry::convSeq).containsExactlyInAnyOrder(
                    LongStream.rangeClosed(1, accepted.size()).boxed().toArray(Long[]::new));
            assertThat(await(narrow.appendToLog(new MessageDraft("g:narrow", "alice", "later", "b", null, 1))).convSeq())
                    .isEqualTo(accepted.size() + 1L);
        }
    }

    @Test
    void invalidTextIsRefusedOnEveryPath() {
        String bad = "half \uD83D pair";

        assertThat(List.<Function<MessageStore, CompletionStage<?>>>of(
                s -> s.claimSend(new SendClaim(bad, "c", "g:x", "d")),
                s -> s.appendToInbox(bad, new LogEntry("g:x", 1, "u", "m", "b", null, 1)),
                s -> s.appendToInbox("u", new LogEntry("g:x", 1, "u", "m", bad, null, 1)),
                s -> s.readInbox(bad, 0, 1),
                s -> s.advanceReadOffset("u", bad, 1),
                s -> s.advanceDeliveredOffset("u", bad, 1),
                s -> s.createGroup(Group.of("g", List.of(bad))),
                s -> s.addMember("g", bad)))
                .allSatisfy(call -> assertThat(failure(call.apply(store))).isInstanceOf(IllegalArgumentException.class));
    }

    private static List<Function<MessageStore, CompletionStage<?>>> everyCall() {
        LogEntry entry = new LogEntry("g:x", 1, "u", "m", "b", null, 1);
        return List.of(
                s -> s.claimSend(new SendClaim("u", "c", "g:x", "d")),
                s -> s.appendToLog(new MessageDraft("g:x", "u", "m", "b", null, 1)),
                s -> s.appendToInbox("u", entry),
                s -> s.readInbox("u", 0, 10),
                s -> s.inboxHead("u"),
                s -> s.readLog("g:x", Long.MAX_VALUE, 10),
                s -> s.advanceReadOffset("u", "g:x", 1),
                s -> s.readOffset("u", "g:x"),
                s -> s.advanceDeliveredOffset("u", "d", 1),
                s -> s.deliveredOffset("u", "d"),
                s -> s.createGroup(Group.of("x", List.of())),
                s -> s.group("x"),
                s -> s.addMember("x", "u"),
                s -> s.removeMember("x", "u"));
    }
}
