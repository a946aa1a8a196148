package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.pigeon.storage.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Positions in Cassandra under crashes, lost hints, bucket boundaries and writers in several
 * processes (several stores on one keyspace, which share no memory).
 */
class CassandraSequenceIT {
    private static TestKeyspace keyspace;
    private static CassandraMessageStore store;
    /** {@link #store} and two more stores on the keyspace, standing for three processes. */
    private static List<CassandraMessageStore> processes;

    @BeforeAll
    static void connect() {
        keyspace = TestKeyspace.create();
        store = CassandraMessageStore.connect(keyspace.options());
        processes = List.of(store, CassandraMessageStore.connect(keyspace.options()),
                CassandraMessageStore.connect(keyspace.options()));
    }

    @AfterAll
    static void closeAndDrop() {
        if (processes != null) {
            processes.forEach(CassandraMessageStore::close);
        }
        if (keyspace != null) {
            keyspace.close();
        }
    }

    // ---- a writer that crashed between slot and index ----

    @Test
    void aRetryAfterACrashBetweenSlotAndIndexGetsTheSlotTheCrashedAttemptTook() {
        String conversation = conversation();
        appendMessages(conversation, 2);
        MessageDraft draft = new MessageDraft(conversation, "alice", "m-crashed", "hello", null, 7);
        writeLogSlotOnly(3, draft);

        LogEntry retried = await(store.appendToLog(draft));

        assertThat(retried).isEqualTo(new LogEntry(conversation, 3, "alice", "m-crashed", "hello", null, 7));
        assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 10))).extracting(LogEntry::convSeq)
                .containsExactly(3L, 2L, 1L);
        assertThat(logIndex(conversation, "alice", "m-crashed")).isEqualTo(3);
    }

    @Test
    void theNextAppenderIndexesTheSlotOfACrashedWriterSoItsRetryFindsIt() {
        String conversation = conversation();
        appendMessages(conversation, 2);
        MessageDraft crashed = new MessageDraft(conversation, "alice", "m-crashed", "hello", null, 7);
        writeLogSlotOnly(3, crashed);

        LogEntry next = await(store.appendToLog(new MessageDraft(conversation, "bob", "m-next", "hi", null, 8)));

        assertThat(next.convSeq()).isEqualTo(4);
        assertThat(logIndex(conversation, "alice", "m-crashed")).isEqualTo(3);
        assertThat(await(store.appendToLog(crashed)).convSeq()).isEqualTo(3);
        assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 10))).hasSize(4);
    }

    @Test
    void anInboxRetryAfterACrashBetweenSlotAndIndexGetsTheSameSeq() {
        String user = user();
        LogEntry first = entry(conversation(), 1);
        LogEntry crashed = entry(conversation(), 5);
        await(store.appendToInbox(user, first));
        keyspace.session().execute("INSERT INTO inbox (user, bucket, seq, conversation, conv_seq, sender, client_id,"
                        + " body, ts, home_epoch) VALUES (?, 0, 2, ?, ?, ?, ?, ?, ?, 1)", user, crashed.conversation(),
                crashed.convSeq(), crashed.from(), crashed.id(), crashed.body(), crashed.ts());

        assertThat(await(store.appendToInbox(user, crashed))).isEqualTo(2);
        assertThat(await(store.appendToInbox(user, entry(conversation(), 1)))).isEqualTo(3);
        assertThat(await(store.appendToInbox(user, crashed))).isEqualTo(2);
        assertThat(await(store.readInbox(user, 0, 10))).extracting(InboxEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(await(store.inboxHead(user))).isEqualTo(3);
    }

    @Test
    void everyRowRecordsTheHomeEpochItWasWrittenUnder() {
        String conversation = conversation();
        String user = user();
        LogEntry entry = appendMessages(conversation, 1).get(0);
        await(store.appendToInbox(user, entry));

        CqlSession session = keyspace.session();
        assertThat(session.execute("SELECT home_epoch FROM conversation_log WHERE conversation = ? AND bucket = 0"
                + " AND conv_seq = 1", conversation).one().getLong(0)).isEqualTo(1);
        assertThat(session.execute("SELECT home_epoch FROM inbox WHERE user = ? AND bucket = 0 AND seq = 1", user)
                .one().getLong(0)).isEqualTo(1);
    }

    // ---- no memory, no hints ----

    @Test
    void storesThatShareNoMemoryContinueOneLogEvenWithHintsLostOrBehind() {
        String conversation = conversation();
        appendMessages(conversation, 5);

        keyspace.session().execute("DELETE FROM heads WHERE stream = 'log' AND id = ?", conversation);
        try (CassandraMessageStore fresh = CassandraMessageStore.connect(keyspace.options())) {
            assertThat(await(fresh.appendToLog(draft(conversation, "m-after-loss"))).convSeq()).isEqualTo(6);
        }
        keyspace.session().execute("UPDATE heads SET head = 2 WHERE stream = 'log' AND id = ?", conversation);
        try (CassandraMessageStore fresh = CassandraMessageStore.connect(keyspace.options())) {
            assertThat(await(fresh.appendToLog(draft(conversation, "m-after-regress"))).convSeq()).isEqualTo(7);
            assertThat(await(fresh.appendToLog(draft(conversation, "m-after-loss"))).convSeq()).isEqualTo(6);
        }
        assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 100))).extracting(LogEntry::convSeq)
                .containsExactlyElementsOf(LongStream.iterate(7, i -> i >= 1, i -> i - 1).boxed().toList());
    }

    // ---- buckets ----

    @Test
    void positionsAndReadsCrossABucketBoundary() {
        String conversation = conversation();
        String user = user();
        long last = Sequence.lastOf(0);
        for (long position = last - 9; position < last; position++) {
            writeLogSlotOnly(position, draft(conversation, "pre-" + position));
            keyspace.session().execute("INSERT INTO log_ids (conversation, sender, client_id, conv_seq)"
                    + " VALUES (?, 'sender', ?, ?)", conversation, "pre-" + position, position);
            LogEntry entry = entry(conversation, position);
            keyspace.session().execute("INSERT INTO inbox (user, bucket, seq, conversation, conv_seq, sender,"
                            + " client_id, body, ts, home_epoch) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, 1)", user, position,
                    entry.conversation(), entry.convSeq(), entry.from(), entry.id(), entry.body(), entry.ts());
        }
        keyspace.session().execute("UPDATE heads SET head = ? WHERE stream = 'log' AND id = ?", last - 5, conversation);

        List<LogEntry> appended = appendMessages(conversation, 5);
        for (LogEntry entry : appended) {
            await(store.appendToInbox(user, entry));
        }

        assertThat(appended).extracting(LogEntry::convSeq).containsExactly(last, last + 1, last + 2, last + 3, last + 4);
        assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 8))).extracting(LogEntry::convSeq)
                .containsExactlyElementsOf(LongStream.iterate(last + 4, i -> i > last - 4, i -> i - 1).boxed().toList());
        assertThat(await(store.readLog(conversation, last + 2, 3))).extracting(LogEntry::convSeq)
                .containsExactly(last + 1, last, last - 1);
        assertThat(await(store.readInbox(user, last - 2, 4))).extracting(InboxEntry::seq)
                .containsExactly(last - 1, last, last + 1, last + 2);
        assertThat(await(store.readInbox(user, last, 100))).extracting(InboxEntry::entry)
                .containsExactlyElementsOf(appended.subList(1, 5));
        assertThat(await(store.inboxHead(user))).isEqualTo(last + 4);

        keyspace.session().execute("DELETE FROM heads WHERE stream = 'log' AND id = ?", conversation);
        try (CassandraMessageStore fresh = CassandraMessageStore.connect(keyspace.options())) {
            assertThat(await(fresh.appendToLog(draft(conversation, "m-next"))).convSeq()).isEqualTo(last + 5);
            assertThat(await(fresh.appendToLog(draft(conversation, "m1"))).convSeq()).isEqualTo(last + 1);
        }
    }

    // ---- writers in several processes ----

    @Test
    void retriesOfTheSameAppendsRacingInSeveralStoresGetOnePositionEach() {
        String conversation = conversation();
        List<MessageDraft> drafts = IntStream.range(0, 24).mapToObj(i -> draft(conversation, "m" + i)).toList();

        List<LogEntry> answers = fromSeveralStores(drafts, 4, (s, draft) -> s.appendToLog(draft));

        Map<String, Set<Long>> positionsById = answers.stream().collect(Collectors.groupingBy(LogEntry::id,
                Collectors.mapping(LogEntry::convSeq, Collectors.toSet())));
        assertThat(positionsById).hasSize(drafts.size()).allSatisfy((id, positions) -> assertThat(positions).hasSize(1));
        List<LogEntry> log = await(store.readLog(conversation, Long.MAX_VALUE, 1000));
        assertThat(log).extracting(LogEntry::convSeq)
                .containsExactlyElementsOf(LongStream.iterate(drafts.size(), i -> i >= 1, i -> i - 1).boxed().toList());
        assertThat(log).allSatisfy(entry -> assertThat(positionsById.get(entry.id())).containsExactly(entry.convSeq()));
    }

    @Test
    void retriesOfTheSameInboxAppendsRacingInSeveralStoresGetOneSeqEach() {
        String user = user();
        List<LogEntry> entries = IntStream.range(0, 24).mapToObj(i -> entry(conversation(), i + 1)).toList();

        List<Long> answers = fromSeveralStores(entries, 4, (s, entry) -> s.appendToInbox(user, entry));

        List<InboxEntry> inbox = await(store.readInbox(user, 0, 1000));
        assertThat(inbox).extracting(InboxEntry::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, entries.size()).boxed().toList());
        assertThat(inbox).extracting(InboxEntry::entry).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(Set.copyOf(answers)).hasSize(entries.size());
    }

    @Test
    void oneAppendRetriedAtOnceFromManyThreadsInSeveralStoresLandsOnce() {
        String conversation = conversation();
        for (int round = 1; round <= 8; round++) {
            MessageDraft draft = draft(conversation, "m" + round);

            List<LogEntry> answers = fromSeveralStores(List.of(draft), 6, (s, d) -> s.appendToLog(d));

            assertThat(Set.copyOf(answers)).hasSize(1);
            assertThat(answers.get(0).convSeq()).isEqualTo(round);
        }
        assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 100))).hasSize(8);
    }

    // ---- helpers ----

    /**
     * Every item sent by {@code copies} writers per store, over the three stores, each writer in
     * its own order, all threads started together; returns every answer.
     */
    private static <T, R> List<R> fromSeveralStores(List<T> items, int copies,
                                                    StoreCall<T, R> call) {
        int writers = processes.size() * copies;
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<CompletableFuture<List<R>>> perWriter = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                CassandraMessageStore writerStore = processes.get(w % processes.size());
                List<T> shuffled = new ArrayList<>(items);
                Collections.shuffle(shuffled);
                perWriter.add(CompletableFuture.supplyAsync(() -> {
                    awaitLatch(start);
                    return shuffled.stream().map(item -> await(call.apply(writerStore, item))).toList();
                }, threads));
            }
            start.countDown();
            return perWriter.stream().flatMap(answers -> await(answers).stream()).toList();
        } finally {
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface StoreCall<T, R> {
        CompletionStage<R> apply(CassandraMessageStore store, T item);
    }

    private static void writeLogSlotOnly(long position, MessageDraft draft) {
        keyspace.session().execute("INSERT INTO conversation_log (conversation, bucket, conv_seq, sender, client_id,"
                        + " body, ts, home_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, 1)", draft.conversation(),
                Sequence.bucketOf(position), position, draft.from(), draft.id(), draft.body(), draft.ts());
    }

    private static long logIndex(String conversation, String sender, String clientId) {
        Row row = keyspace.session().execute("SELECT conv_seq FROM log_ids WHERE conversation = ? AND sender = ?"
                + " AND client_id = ?", conversation, sender, clientId).one();
        assertThat(row).as("index row of %s/%s", sender, clientId).isNotNull();
        return row.getLong(0);
    }

    private static List<LogEntry> appendMessages(String conversation, int count) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(await(store.appendToLog(draft(conversation, "m" + i))));
        }
        return entries;
    }

    private static MessageDraft draft(String conversation, String id) {
        return new MessageDraft(conversation, "sender", id, "body of " + id, null, 1);
    }

    private static LogEntry entry(String conversation, long convSeq) {
        return new LogEntry(conversation, convSeq, "sender", "id-" + convSeq, "body " + convSeq, null, convSeq);
    }

    private static String conversation() {
        return "g:g" + suffix();
    }

    private static String user() {
        return "u" + suffix();
    }

    private static String suffix() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
