package dev.pigeon.homing;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.StoredHome;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static dev.pigeon.homing.StreamChain.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * How {@link EpochedMessageStore} keeps every inbox and log one contiguous sequence while its home
 * moves, over a real store. Two regions: eu, where everything is homed first, and us, which takes
 * over by a planned move or by a failover. A subclass supplies the data centre each region uses
 * (the same store for both when there is only one) and puts rows where a lagging or returning data
 * centre would leave them. Whatever one region writes, the other waits to see before relying on it.
 */
abstract class EpochedMessageStoreContract {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String EU = "eu";
    private static final String US = "us";
    private static final int ALL = 1000;

    /** A data centre, as the nodes of one region reach it. */
    record Site(MessageStore messages, HomeStore homes) {
    }

    /** The data centre of eu, the first home of everything and the region a failover declares lost. */
    protected abstract Site eu();

    /** The data centre of us, the region that takes over. */
    protected abstract Site us();

    /**
     * Writes into the log stream {@code stream}, at exactly {@code stored.convSeq()}, a row that eu
     * acknowledged before it was lost and that reaches us only now.
     */
    protected abstract void orphanLogRow(String stream, LogEntry stored);

    /** Writes into the inbox stream {@code stream}, at exactly {@code seq}, a row that reaches us only now. */
    protected abstract void orphanInboxRow(String stream, long seq, LogEntry entry);

    /** Takes the row at {@code convSeq} out of us's copy of a log stream, as if it had not arrived yet. */
    protected abstract void withholdLogRow(String stream, long convSeq);

    /** Takes the row at {@code seq} out of us's copy of an inbox stream, as if it had not arrived yet. */
    protected abstract void withholdInboxRow(String stream, long seq);

    private final String conversation = "g:" + fresh();
    private final String user = fresh();
    private EpochedMessageStore inEu;
    private EpochedMessageStore inUs;

    @BeforeEach
    void openBothRegions() {
        inEu = epoched(eu(), EU);
        inUs = epoched(us(), US);
    }

    // ---- writes happen only at home ----

    @Test
    void writesAreRefusedAwayFromHomeAndWhileTheHomeMoves() {
        homeBothInEu();
        LogEntry first = send(inEu, "alice", "m1");
        assertWritesRefused(inUs, first);

        markMovingToUs();
        assertWritesRefused(inEu, first);
        assertWritesRefused(inUs, first);

        awaitUsHolds(1, 1);
        takeOverInUs(2);
        assertWritesRefused(inEu, first);
        assertThat(send(inUs, "bob", "m2").convSeq()).isEqualTo(2);
    }

    // ---- a planned move ----

    @Test
    void theLogContinuesAcrossAPlannedMoveWithoutAGap() {
        homeBothInEu();
        List<LogEntry> sent = new ArrayList<>(sendInEu(3));
        markMovingToUs();
        awaitUsHolds(3, 3);
        takeOverInUs(4);

        sent.add(send(inUs, "bob", "m4"));
        sent.add(send(inUs, "bob", "m5"));

        assertThat(sent).extracting(LogEntry::convSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 10))).containsExactlyElementsOf(newestFirst(sent));
        assertThat(result(inUs.readLog(conversation, 5, 2))).containsExactly(sent.get(3), sent.get(2));
        assertThat(result(inUs.readLog(conversation, 4, 10))).containsExactly(sent.get(2), sent.get(1), sent.get(0));
        assertThat(result(inUs.readLog(conversation, 1, 10))).isEmpty();
        eventually().untilAsserted(() ->
                assertThat(result(inEu.readLog(conversation, Long.MAX_VALUE, 10))).containsExactlyElementsOf(newestFirst(sent)));
    }

    @Test
    void theInboxAndItsOffsetsContinueAcrossAPlannedMoveWithoutAGap() {
        homeBothInEu();
        List<LogEntry> sent = new ArrayList<>(sendInEu(3));
        assertThat(result(inEu.advanceReadOffset(user, conversation, 2))).isEqualTo(2);
        assertThat(result(inEu.advanceDeliveredOffset(user, "phone", 3))).isEqualTo(3);
        markMovingToUs();
        awaitUsHolds(3, 3);
        eventually().untilAsserted(() -> {
            assertThat(result(us().messages().readOffset(streamOf(user, 1), conversation))).isEqualTo(2);
            assertThat(result(us().messages().deliveredOffset(streamOf(user, 1), "phone"))).isEqualTo(3);
        });
        takeOverInUs(4);

        assertThat(result(inUs.readOffset(user, conversation))).isEqualTo(2);
        assertThat(result(inUs.deliveredOffset(user, "phone"))).isEqualTo(3);
        sent.add(send(inUs, "bob", "m4"));
        sent.add(send(inUs, "bob", "m5"));

        assertThat(result(inUs.readInbox(user, 0, 10))).containsExactlyElementsOf(inbox(sent, 1));
        assertThat(result(inUs.readInbox(user, 2, 2))).containsExactlyElementsOf(inbox(sent, 1).subList(2, 4));
        assertThat(result(inUs.readInbox(user, 5, 10))).isEmpty();
        assertThat(result(inUs.inboxHead(user))).isEqualTo(5);
        assertThat(result(inUs.advanceReadOffset(user, conversation, 5))).isEqualTo(5);
        assertThat(result(inUs.advanceDeliveredOffset(user, "phone", 4))).isEqualTo(4);
        assertThat(result(inUs.readOffset(user, conversation))).isEqualTo(5);
        assertThat(result(inUs.deliveredOffset(user, "phone"))).isEqualTo(4);
        eventually().untilAsserted(() -> {
            assertThat(result(inEu.readInbox(user, 0, 10))).containsExactlyElementsOf(inbox(sent, 1));
            assertThat(result(inEu.inboxHead(user))).isEqualTo(5);
        });
    }

    @Test
    void offsetsNeverMoveBackAcrossAMove() {
        homeBothInEu();
        sendInEu(3);
        result(inEu.advanceReadOffset(user, conversation, 3));
        result(inEu.advanceDeliveredOffset(user, "phone", 3));
        markMovingToUs();
        awaitUsHolds(3, 3);
        eventually().untilAsserted(() -> {
            assertThat(result(us().messages().readOffset(streamOf(user, 1), conversation))).isEqualTo(3);
            assertThat(result(us().messages().deliveredOffset(streamOf(user, 1), "phone"))).isEqualTo(3);
        });
        takeOverInUs(4);

        assertThat(result(inUs.advanceReadOffset(user, conversation, 1))).isEqualTo(3);
        assertThat(result(inUs.advanceDeliveredOffset(user, "tablet", 1))).isEqualTo(1);
        assertThat(result(inUs.advanceDeliveredOffset(user, "phone", 2))).isEqualTo(3);
        assertThat(result(inUs.readOffset(user, conversation))).isEqualTo(3);
        assertThat(result(inUs.deliveredOffset(user, "phone"))).isEqualTo(3);
        assertThat(result(inUs.deliveredOffset(user, "tablet"))).isEqualTo(1);
    }

    @Test
    void aRetriedAppendFindsWhatTheOldEpochHoldsInsteadOfAppendingAgain() {
        homeBothInEu();
        List<LogEntry> sent = sendInEu(3);
        markMovingToUs();
        awaitUsHolds(3, 3);
        takeOverInUs(4);

        LogEntry second = sent.get(1);
        LogEntry retried = result(inUs.appendToLog(new MessageDraft(conversation, second.from(), second.id(),
                "a retry may carry anything", null, 99)));

        assertThat(retried).isEqualTo(second);
        assertThat(result(inUs.appendToInbox(user, second))).isEqualTo(2);
        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 10))).containsExactlyElementsOf(newestFirst(sent));
        assertThat(result(inUs.inboxHead(user))).isEqualTo(3);
        assertThat(send(inUs, "bob", "m4").convSeq()).isEqualTo(4);
        assertThat(result(inUs.appendToLog(new MessageDraft(conversation, "bob", "m4", "again", null, 99))).convSeq())
                .isEqualTo(4);
    }

    @Test
    void entriesAreFoundByNaturalKeyInEveryEpoch() {
        homeBothInEu();
        List<LogEntry> sent = new ArrayList<>(sendInEu(2));
        markMovingToUs();
        awaitUsHolds(2, 2);
        takeOverInUs(3);
        sent.add(send(inUs, "bob", "m3"));

        for (LogEntry entry : sent) {
            assertThat(result(inUs.logEntryOf(conversation, entry.from(), entry.id()))).contains(entry);
            assertThat(result(inUs.inboxSeqOf(user, conversation, entry.convSeq()))).contains(entry.convSeq());
        }
        assertThat(result(inUs.logEntryOf(conversation, "bob", "m1"))).isEmpty();
        assertThat(result(inUs.inboxSeqOf(user, conversation, 4))).isEmpty();
        assertThat(result(inUs.inboxSeqOf(user, "g:other", 1))).isEmpty();
    }

    // ---- a failover, and what the lost region had that never reached the survivor ----

    @Test
    void whatTheSurvivorWroteOutlivesOrphansThatArriveLater() {
        List<LogEntry> expected = failOverThenOrphansArrive();
        List<LogEntry> survivors = expected.subList(5, 8);

        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 20))).containsExactlyElementsOf(newestFirst(expected));
        assertThat(result(inUs.readInbox(user, 0, 20))).containsExactlyElementsOf(inbox(expected, 1));
        assertThat(result(inUs.inboxHead(user))).isEqualTo(8);
        for (LogEntry survivor : survivors) {
            assertThat(result(inUs.logEntryOf(conversation, survivor.from(), survivor.id()))).contains(survivor);
            assertThat(result(inUs.inboxSeqOf(user, conversation, survivor.convSeq()))).contains(survivor.convSeq());
        }
        assertThat(result(us().messages().readLog(streamOf(conversation, 2), Long.MAX_VALUE, ALL)))
                .extracting(LogEntry::convSeq, LogEntry::body)
                .containsExactly(tuple(3L, "message 8"), tuple(2L, "message 7"), tuple(1L, "message 6"));
        eventually().untilAsserted(() -> {
            assertThat(result(inEu.readLog(conversation, Long.MAX_VALUE, 20))).containsExactlyElementsOf(newestFirst(expected));
            assertThat(result(inEu.readInbox(user, 0, 20))).containsExactlyElementsOf(inbox(expected, 1));
        });
    }

    @Test
    void orphansAreNeverTakenForEntriesOfTheSequence() {
        List<LogEntry> expected = failOverThenOrphansArrive();

        assertThat(result(inUs.logEntryOf(conversation, "carol", "o6"))).isEmpty();
        assertThat(result(inUs.logEntryOf(conversation, "carol", "o7"))).isEmpty();
        assertThat(result(inUs.appendToInbox(user, expected.get(5)))).isEqualTo(6);
        assertThat(result(inUs.appendToInbox(user, expected.get(7)))).isEqualTo(8);
        assertThat(result(inUs.inboxHead(user))).isEqualTo(8);

        LogEntry resent = result(inUs.appendToLog(new MessageDraft(conversation, "carol", "o7", "old 7", null, 7)));
        assertThat(resent).isEqualTo(new LogEntry(conversation, 9, "carol", "o7", "old 7", null, 7));
        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 1))).containsExactly(resent);
    }

    @Test
    void orphansStayInTheOldEpochsStreamBeyondItsEndForReconciliation() {
        failOverThenOrphansArrive();
        String oldLog = streamOf(conversation, 1);
        String oldInbox = streamOf(user, 1);

        assertThat(result(inUs.chain(Kind.CONVERSATION, conversation)).segments().get(0).end()).isEqualTo(5);
        assertThat(result(us().messages().readLog(oldLog, Long.MAX_VALUE, 2)))
                .containsExactly(orphan(7), orphan(6));
        assertThat(result(us().messages().logEntryOf(oldLog, "carol", "o6"))).contains(orphan(6));
        assertThat(result(us().messages().readInbox(oldInbox, 5, 10)))
                .containsExactly(new InboxEntry(6, orphan(6)), new InboxEntry(7, orphan(7)));
    }

    @Test
    void anOldEpochsDeliveredOffsetCountsOnlyUpToTheEpochsEnd() {
        failOverThenOrphansArrive();
        result(eu().messages().advanceDeliveredOffset(streamOf(user, 1), "phone", 7));
        eventually().untilAsserted(() ->
                assertThat(result(us().messages().deliveredOffset(streamOf(user, 1), "phone"))).isEqualTo(7));

        assertThat(result(inUs.deliveredOffset(user, "phone"))).isEqualTo(5);
        assertThat(result(inUs.advanceDeliveredOffset(user, "phone", 8))).isEqualTo(8);
        assertThat(result(inUs.deliveredOffset(user, "phone"))).isEqualTo(8);
    }

    // ---- where a new epoch starts ----

    @Test
    void aNewEpochStartsAtTheFirstPositionMissingFromTheSurvivorsCopy() {
        homeBothInEu();
        List<LogEntry> sent = sendInEu(7);
        awaitUsHolds(7, 7);
        withholdLogRow(streamOf(conversation, 1), 6);
        withholdInboxRow(streamOf(user, 1), 6);

        takeOverInUs(6);
        List<LogEntry> expected = new ArrayList<>(sent.subList(0, 5));
        expected.add(send(inUs, "bob", "s6"));

        assertThat(expected.get(5).convSeq()).isEqualTo(6);
        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 10))).containsExactlyElementsOf(newestFirst(expected));
        assertThat(result(inUs.readInbox(user, 0, 10))).containsExactlyElementsOf(inbox(expected, 1));
        assertThat(result(inUs.logEntryOf(conversation, "alice", "m7"))).isEmpty();
    }

    @Test
    void aMissingFirstPositionLeavesTheOldEpochEmpty() {
        homeBothInEu();
        sendInEu(3);
        awaitUsHolds(3, 3);
        withholdLogRow(streamOf(conversation, 1), 1);
        withholdInboxRow(streamOf(user, 1), 1);

        takeOverInUs(1);
        LogEntry first = send(inUs, "bob", "s1");

        assertThat(first.convSeq()).isEqualTo(1);
        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 10))).containsExactly(first);
        assertThat(result(inUs.readInbox(user, 0, 10))).containsExactly(new InboxEntry(1, first));
    }

    @Test
    void anEpochWithNothingWrittenHandsItsStartOnToTheNext() {
        homeBothInEu();
        List<LogEntry> sent = new ArrayList<>(sendInEu(2));
        awaitUsHolds(2, 2);
        takeOverInUs(3);

        assertThat(result(inUs.openEpoch(Kind.CONVERSATION, conversation, 3))).isEqualTo(3);
        assertThat(result(us().homes().move(Kind.CONVERSATION, conversation, 2, US))).contains(new StoredHome(US, 3));
        sent.add(result(inUs.appendToLog(new MessageDraft(conversation, "bob", "s3", "message 3", null, 3))));

        assertThat(result(inUs.chain(Kind.CONVERSATION, conversation)).current().stream())
                .isEqualTo(streamOf(conversation, 3));
        assertThat(result(inUs.readLog(conversation, Long.MAX_VALUE, 10))).containsExactlyElementsOf(newestFirst(sent));
    }

    @Test
    void theStartRecordedFirstHolds() {
        homeBothInEu();
        sendInEu(2);
        awaitUsHolds(2, 2);

        assertThat(result(inUs.openEpoch(Kind.USER, user, 2))).isEqualTo(3);
        result(inEu.appendToInbox(user, new LogEntry("g:other", 1, "carol", "x1", "late", null, 1)));
        eventually().untilAsserted(() ->
                assertThat(result(us().messages().inboxHead(streamOf(user, 1)))).isEqualTo(3));

        assertThat(result(inUs.openEpoch(Kind.USER, user, 2))).isEqualTo(3);
    }

    // ---- fan-out marks ----

    @Test
    void fanOutMarksAreKeptPerRegion() {
        EpochedMessageStore eu = epoched(us(), EU);
        EpochedMessageStore us = epoched(us(), US);

        result(eu.advanceFanOutMark(conversation, 3));
        assertThat(result(us.fanOutMark(conversation))).isZero();
        result(us.advanceFanOutMark(conversation, 1));
        result(eu.advanceFanOutMark(conversation, 2));

        assertThat(result(eu.fanOutMark(conversation))).isEqualTo(3);
        assertThat(result(us.fanOutMark(conversation))).isEqualTo(1);
    }

    // ---- scenarios ----

    /**
     * eu sends 1..5, which reach us; eu is lost; us opens epoch 2 at 6 and writes 6..8 from bob
     * (bodies "message 6".."message 8"); then what eu had acknowledged as its own 6 and 7 (carol's
     * o6 and o7, bodies "old 6" and "old 7") arrives in the epoch-1 streams of the log and the inbox.
     *
     * @return the sequence as it must read: eu's 1..5, then us's 6..8
     */
    private List<LogEntry> failOverThenOrphansArrive() {
        homeBothInEu();
        List<LogEntry> expected = new ArrayList<>(sendInEu(5));
        awaitUsHolds(5, 5);
        takeOverInUs(6);
        for (int i = 6; i <= 8; i++) {
            expected.add(send(inUs, "bob", "s" + i));
        }
        for (int position = 6; position <= 7; position++) {
            orphanLogRow(streamOf(conversation, 1), orphan(position));
            orphanInboxRow(streamOf(user, 1), position, orphan(position));
        }
        awaitUsHolds(7, 7);
        return expected;
    }

    private LogEntry orphan(long position) {
        return new LogEntry(conversation, position, "carol", "o" + position, "old " + position, null, position);
    }

    private void homeBothInEu() {
        for (Kind kind : Kind.values()) {
            assertThat(result(eu().homes().claimIfAbsent(kind, idOf(kind), EU))).isEqualTo(new StoredHome(EU, 1));
            awaitHome(us(), kind, new StoredHome(EU, 1));
        }
    }

    /** The planned move's first step: writes pause until the move is done. */
    private void markMovingToUs() {
        for (Kind kind : Kind.values()) {
            assertThat(result(us().homes().markMoving(kind, idOf(kind), 1, US))).contains(new StoredHome(EU, 1, US));
            awaitHome(eu(), kind, new StoredHome(EU, 1, US));
        }
    }

    /** us records where epoch 2 starts in its own copy, then moves both homes to itself. */
    private void takeOverInUs(long expectedStart) {
        for (Kind kind : Kind.values()) {
            assertThat(result(inUs.openEpoch(kind, idOf(kind), 2))).isEqualTo(expectedStart);
            assertThat(result(us().homes().move(kind, idOf(kind), 1, US))).contains(new StoredHome(US, 2));
            awaitHome(eu(), kind, new StoredHome(US, 2));
        }
    }

    /** Waits until us's copy of the epoch-1 streams holds this many rows. */
    private void awaitUsHolds(int logRows, int inboxRows) {
        eventually().untilAsserted(() -> {
            assertThat(result(us().messages().readLog(streamOf(conversation, 1), Long.MAX_VALUE, ALL))).hasSize(logRows);
            assertThat(result(us().messages().readInbox(streamOf(user, 1), 0, ALL))).hasSize(inboxRows);
        });
    }

    private void awaitHome(Site site, Kind kind, StoredHome expected) {
        eventually().untilAsserted(() ->
                assertThat(result(site.homes().home(kind, idOf(kind)))).contains(expected));
    }

    /** alice sends messages 1..count in eu, each placed in the user's inbox. */
    private List<LogEntry> sendInEu(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> send(inEu, "alice", "m" + i)).toList();
    }

    /** A message, numbered by the digits of its id, appended to the log and placed in the user's inbox. */
    private LogEntry send(EpochedMessageStore store, String from, String id) {
        long number = Long.parseLong(id.substring(1));
        LogEntry entry = result(store.appendToLog(new MessageDraft(conversation, from, id, "message " + number, null,
                number)));
        result(store.appendToInbox(user, entry));
        return entry;
    }

    private void assertWritesRefused(EpochedMessageStore store, LogEntry entry) {
        assertRefused(store.appendToLog(new MessageDraft(conversation, "dave", "refused", "no", null, 0)));
        assertRefused(store.appendToInbox(user, entry));
        assertRefused(store.advanceReadOffset(user, conversation, entry.convSeq()));
        assertRefused(store.advanceDeliveredOffset(user, "phone", entry.convSeq()));
    }

    private String idOf(Kind kind) {
        return kind == Kind.USER ? user : conversation;
    }

    private static EpochedMessageStore epoched(Site site, String region) {
        return new EpochedMessageStore(site.messages(), site.homes(), new UncachedHomeDirectory(region, site.homes()));
    }

    /** The inbox holding {@code entries} one after another from {@code firstSeq}. */
    private static List<InboxEntry> inbox(List<LogEntry> entries, long firstSeq) {
        return IntStream.range(0, entries.size()).mapToObj(i -> new InboxEntry(firstSeq + i, entries.get(i))).toList();
    }

    private static List<LogEntry> newestFirst(List<LogEntry> entries) {
        List<LogEntry> reversed = new ArrayList<>(entries);
        Collections.reverse(reversed);
        return reversed;
    }

    /** Checks at once, then again every little while: with one data centre the first check passes. */
    private static ConditionFactory eventually() {
        return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    static String fresh() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
    }

    static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete", e);
        }
    }

    private static void assertRefused(CompletionStage<?> stage) {
        assertThat(stage.toCompletableFuture()).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StorageUnavailableException.class);
    }
}
