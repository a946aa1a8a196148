package dev.pigeon.storage;

import dev.pigeon.protocol.LogEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link MessageStore} implementation must have. A subclass supplies the store;
 * every test works on fresh, randomly named users, conversations and groups, so one store may
 * serve all tests of a class.
 */
public abstract class MessageStoreContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int WRITERS = 16;

    /** The store under test; the same instance may be returned to every test. */
    protected abstract MessageStore store();

    // ---- conversation log ----

    @Test
    void appendToLogAssignsConvSeqFromOneAndKeepsEveryField() {
        String conversation = groupConversation();
        String from = user();

        LogEntry first = await(store().appendToLog(new MessageDraft(conversation, from, "m1", "hello", null, 1000)));
        LogEntry second = await(store().appendToLog(new MessageDraft(conversation, from, "m2", "https://x/y.jpg",
                "image/jpeg", 2000)));

        assertThat(first).isEqualTo(new LogEntry(conversation, 1, from, "m1", "hello", null, 1000));
        assertThat(second).isEqualTo(new LogEntry(conversation, 2, from, "m2", "https://x/y.jpg", "image/jpeg", 2000));
    }

    @Test
    void readLogReturnsEntriesBeforeTheBoundNewestFirst() {
        String conversation = groupConversation();
        appendMessages(conversation, 5);

        assertThat(convSeqs(await(store().readLog(conversation, Long.MAX_VALUE, 100)))).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(convSeqs(await(store().readLog(conversation, 4, 100)))).containsExactly(3L, 2L, 1L);
        assertThat(convSeqs(await(store().readLog(conversation, 6, 100)))).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(convSeqs(await(store().readLog(conversation, 1_000_000, 100)))).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(convSeqs(await(store().readLog(conversation, 2, 100)))).containsExactly(1L);
    }

    @Test
    void readLogStopsAtTheLimitKeepingTheNewest() {
        String conversation = groupConversation();
        appendMessages(conversation, 5);

        assertThat(convSeqs(await(store().readLog(conversation, Long.MAX_VALUE, 2)))).containsExactly(5L, 4L);
        assertThat(convSeqs(await(store().readLog(conversation, 4, 2)))).containsExactly(3L, 2L);
        assertThat(await(store().readLog(conversation, Long.MAX_VALUE, 0))).isEmpty();
    }

    @Test
    void readLogIsEmptyBeforeTheFirstEntryAndForAnUnknownConversation() {
        String conversation = groupConversation();
        appendMessages(conversation, 2);

        assertThat(await(store().readLog(conversation, 1, 100))).isEmpty();
        assertThat(await(store().readLog(conversation, 0, 100))).isEmpty();
        assertThat(await(store().readLog(conversation, -5, 100))).isEmpty();
        assertThat(await(store().readLog(groupConversation(), Long.MAX_VALUE, 100))).isEmpty();
    }

    @Test
    void readLogRejectsANegativeLimit() {
        assertThat(failure(store().readLog(groupConversation(), Long.MAX_VALUE, -1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conversationsHaveIndependentPositions() {
        String name = "c" + suffix();
        String shorter = "g:" + name;
        String longer = "g:" + name + "x";
        appendMessages(shorter, 3);
        appendMessages(longer, 2);

        assertThat(await(store().readLog(shorter, Long.MAX_VALUE, 100)))
                .extracting(LogEntry::conversation).containsOnly(shorter).hasSize(3);
        assertThat(convSeqs(await(store().readLog(longer, Long.MAX_VALUE, 100)))).containsExactly(2L, 1L);
    }

    @Test
    void reAppendingTheSameMessageReturnsTheFirstEntryAndWritesNothing() {
        String conversation = groupConversation();
        String from = user();
        LogEntry first = await(store().appendToLog(new MessageDraft(conversation, from, "m1", "hello", null, 1000)));
        appendMessages(conversation, 1);

        LogEntry retried = await(store().appendToLog(new MessageDraft(conversation, from, "m1", "hello", null, 5000)));
        LogEntry altered = await(store().appendToLog(new MessageDraft(conversation, from, "m1", "other", "x/y", 6000)));

        assertThat(retried).isEqualTo(first);
        assertThat(altered).isEqualTo(first);
        assertThat(convSeqs(await(store().readLog(conversation, Long.MAX_VALUE, 100)))).containsExactly(2L, 1L);
    }

    @Test
    void theSameClientIdFromAnotherSenderOrInAnotherConversationIsANewMessage() {
        String conversation = groupConversation();
        String other = groupConversation();
        String alice = user();
        String bob = user();

        LogEntry fromAlice = await(store().appendToLog(new MessageDraft(conversation, alice, "m1", "a", null, 1)));
        LogEntry fromBob = await(store().appendToLog(new MessageDraft(conversation, bob, "m1", "b", null, 2)));
        LogEntry elsewhere = await(store().appendToLog(new MessageDraft(other, alice, "m1", "c", null, 3)));

        assertThat(fromAlice.convSeq()).isEqualTo(1);
        assertThat(fromBob.convSeq()).isEqualTo(2);
        assertThat(elsewhere.convSeq()).isEqualTo(1);
    }

    // ---- inbox ----

    @Test
    void appendToInboxAssignsSeqFromOneAcrossConversations() {
        String user = user();
        LogEntry a = entry(groupConversation(), 7);
        LogEntry b = entry(groupConversation(), 1);
        LogEntry c = entry(a.conversation(), 8);

        assertThat(await(store().appendToInbox(user, a))).isEqualTo(1);
        assertThat(await(store().appendToInbox(user, b))).isEqualTo(2);
        assertThat(await(store().appendToInbox(user, c))).isEqualTo(3);
        assertThat(await(store().readInbox(user, 0, 100)))
                .containsExactly(new InboxEntry(1, a), new InboxEntry(2, b), new InboxEntry(3, c));
    }

    @Test
    void readInboxReturnsEntriesAfterTheBoundOldestFirst() {
        String user = user();
        fillInbox(user, 5);

        assertThat(seqs(await(store().readInbox(user, 0, 100)))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seqs(await(store().readInbox(user, -3, 100)))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seqs(await(store().readInbox(user, 2, 100)))).containsExactly(3L, 4L, 5L);
        assertThat(seqs(await(store().readInbox(user, 4, 100)))).containsExactly(5L);
    }

    @Test
    void readInboxSinceTheHeadOrBeyondIsEmpty() {
        String user = user();
        fillInbox(user, 3);

        assertThat(await(store().readInbox(user, 3, 100))).isEmpty();
        assertThat(await(store().readInbox(user, 4, 100))).isEmpty();
        assertThat(await(store().readInbox(user, Long.MAX_VALUE, 100))).isEmpty();
    }

    @Test
    void readInboxStopsAtTheLimitKeepingTheOldest() {
        String user = user();
        fillInbox(user, 5);

        assertThat(seqs(await(store().readInbox(user, 0, 2)))).containsExactly(1L, 2L);
        assertThat(seqs(await(store().readInbox(user, 2, 2)))).containsExactly(3L, 4L);
        assertThat(await(store().readInbox(user, 0, 0))).isEmpty();
        assertThat(failure(store().readInbox(user, 0, -1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inboxHeadIsTheNewestSeqAndZeroForAnEmptyInbox() {
        String user = user();
        assertThat(await(store().inboxHead(user))).isZero();
        assertThat(await(store().readInbox(user, 0, 100))).isEmpty();

        fillInbox(user, 4);

        assertThat(await(store().inboxHead(user))).isEqualTo(4);
    }

    @Test
    void inboxesOfUsersWhoseNamesArePrefixesOfEachOtherStaySeparate() {
        String user = user();
        String longer = user + "a";
        fillInbox(user, 2);
        fillInbox(longer, 3);

        assertThat(await(store().inboxHead(user))).isEqualTo(2);
        assertThat(await(store().inboxHead(longer))).isEqualTo(3);
        assertThat(await(store().readInbox(user, 0, 100))).hasSize(2);
    }

    @Test
    void reAppendingTheSameEntryToAnInboxReturnsItsSeqAndWritesNothing() {
        String user = user();
        LogEntry entry = entry(groupConversation(), 3);
        long seq = await(store().appendToInbox(user, entry));
        fillInbox(user, 1);

        assertThat(await(store().appendToInbox(user, entry))).isEqualTo(seq);
        assertThat(await(store().inboxHead(user))).isEqualTo(2);
        assertThat(await(store().readInbox(user, 0, 100))).hasSize(2);
    }

    @Test
    void oneEntryGoesIntoEachMembersInboxAtThatMembersOwnSeq() {
        String alice = user();
        String bob = user();
        fillInbox(bob, 2);
        LogEntry entry = await(store().appendToLog(new MessageDraft(directConversation(alice, bob), alice, "m", "hi",
                null, 9)));

        assertThat(await(store().appendToInbox(alice, entry))).isEqualTo(1);
        assertThat(await(store().appendToInbox(bob, entry))).isEqualTo(3);
        assertThat(await(store().readInbox(bob, 2, 10))).containsExactly(new InboxEntry(3, entry));
    }

    @Test
    void notesToSelfAreAOneMemberConversation() {
        String user = user();
        String notes = directConversation(user, user);

        LogEntry entry = await(store().appendToLog(new MessageDraft(notes, user, "n1", "remember", null, 1)));
        long seq = await(store().appendToInbox(user, entry));

        assertThat(entry.convSeq()).isEqualTo(1);
        assertThat(seq).isEqualTo(1);
        assertThat(await(store().readInbox(user, 0, 10))).containsExactly(new InboxEntry(1, entry));
        assertThat(await(store().readLog(notes, Long.MAX_VALUE, 10))).containsExactly(entry);
    }

    // ---- bodies ----

    @Test
    void unicodeBodiesAndIdsAreStoredExactly() {
        String conversation = groupConversation();
        String user = user();
        String body = "héllo 你好 مرحبا 👋🏽 e\u0301 \u0000 tab\t \"quoted\" \\ 𝄞 \uFEFF";
        String clientId = "id-ü-👍";

        LogEntry entry = await(store().appendToLog(new MessageDraft(conversation, user, clientId, body, "text/ü", 1)));
        await(store().appendToInbox(user, entry));

        assertThat(await(store().readLog(conversation, Long.MAX_VALUE, 1)).get(0).body()).isEqualTo(body);
        assertThat(await(store().readInbox(user, 0, 1)).get(0).entry())
                .isEqualTo(new LogEntry(conversation, 1, user, clientId, body, "text/ü", 1));
        assertThat(await(store().appendToLog(new MessageDraft(conversation, user, clientId, "again", null, 2))))
                .isEqualTo(entry);
    }

    @Test
    void aBodyOf64KibIsStoredExactly() {
        String conversation = groupConversation();
        String user = user();
        String body = randomText(64 * 1024);
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(64 * 1024);

        LogEntry entry = await(store().appendToLog(new MessageDraft(conversation, user, "big", body, null, 1)));
        await(store().appendToInbox(user, entry));

        assertThat(await(store().readLog(conversation, Long.MAX_VALUE, 1)).get(0).body()).isEqualTo(body);
        assertThat(await(store().readInbox(user, 0, 1)).get(0).entry().body()).isEqualTo(body);
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedRatherThanAltered() {
        String conversation = groupConversation();
        String user = user();

        Throwable failure = failure(store().appendToLog(new MessageDraft(conversation, user, "m", "half \uD83D pair",
                null, 1)));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class);
        assertThat(await(store().readLog(conversation, Long.MAX_VALUE, 10))).isEmpty();
    }

    // ---- send claims ----

    @Test
    void theFirstClaimOfASendWins() {
        String sender = user();
        String conversation = groupConversation();
        SendClaim first = new SendClaim(sender, "c1", conversation, "digest-1");
        SendClaim retry = new SendClaim(sender, "c1", conversation, "digest-1");
        SendClaim reuse = new SendClaim(sender, "c1", groupConversation(), "digest-2");

        assertThat(await(store().claimSend(first))).isEqualTo(first);
        SendClaim answerToRetry = await(store().claimSend(retry));
        SendClaim answerToReuse = await(store().claimSend(reuse));

        assertThat(answerToRetry).isEqualTo(first);
        assertThat(answerToRetry.sameSendAs(retry)).isTrue();
        assertThat(answerToReuse).isEqualTo(first);
        assertThat(answerToReuse.sameSendAs(reuse)).isFalse();
    }

    @Test
    void sameSendAsComparesConversationAndBody() {
        SendClaim claim = new SendClaim("a", "c1", "g:x", "d1");

        assertThat(claim.sameSendAs(new SendClaim("a", "c1", "g:x", "d1"))).isTrue();
        assertThat(claim.sameSendAs(new SendClaim("a", "c1", "g:y", "d1"))).isFalse();
        assertThat(claim.sameSendAs(new SendClaim("a", "c1", "g:x", "d2"))).isFalse();
    }

    @Test
    void claimsAreKeptPerSenderAndClientId() {
        String alice = user();
        String bob = user();
        String conversation = groupConversation();
        SendClaim aliceClaim = new SendClaim(alice, "c1", conversation, "d-a");
        SendClaim bobClaim = new SendClaim(bob, "c1", conversation, "d-b");
        SendClaim aliceOther = new SendClaim(alice, "c2", conversation, "d-c");

        assertThat(await(store().claimSend(aliceClaim))).isEqualTo(aliceClaim);
        assertThat(await(store().claimSend(bobClaim))).isEqualTo(bobClaim);
        assertThat(await(store().claimSend(aliceOther))).isEqualTo(aliceOther);
    }

    // ---- offsets ----

    @Test
    void readOffsetsOnlyMoveForward() {
        String user = user();
        String conversation = groupConversation();
        assertThat(await(store().readOffset(user, conversation))).isZero();

        assertThat(await(store().advanceReadOffset(user, conversation, 5))).isEqualTo(5);
        assertThat(await(store().advanceReadOffset(user, conversation, 3))).isEqualTo(5);
        assertThat(await(store().advanceReadOffset(user, conversation, 5))).isEqualTo(5);
        assertThat(await(store().readOffset(user, conversation))).isEqualTo(5);
        assertThat(await(store().advanceReadOffset(user, conversation, 9))).isEqualTo(9);
        assertThat(await(store().readOffset(user, conversation))).isEqualTo(9);
    }

    @Test
    void readOffsetsArePerUserAndConversation() {
        String user = user();
        String other = user();
        String conversation = groupConversation();
        String otherConversation = groupConversation();

        await(store().advanceReadOffset(user, conversation, 4));

        assertThat(await(store().readOffset(user, otherConversation))).isZero();
        assertThat(await(store().readOffset(other, conversation))).isZero();
        assertThat(await(store().advanceReadOffset(user, conversation, -1))).isEqualTo(4);
    }

    @Test
    void deliveredOffsetsOnlyMoveForwardPerDevice() {
        String user = user();
        assertThat(await(store().deliveredOffset(user, "phone"))).isZero();

        assertThat(await(store().advanceDeliveredOffset(user, "phone", 10))).isEqualTo(10);
        assertThat(await(store().advanceDeliveredOffset(user, "phone", 2))).isEqualTo(10);
        assertThat(await(store().advanceDeliveredOffset(user, "laptop", 3))).isEqualTo(3);

        assertThat(await(store().deliveredOffset(user, "phone"))).isEqualTo(10);
        assertThat(await(store().deliveredOffset(user, "laptop"))).isEqualTo(3);
        assertThat(await(store().deliveredOffset(user(), "phone"))).isZero();
    }

    @Test
    void fanOutMarksOnlyMoveForwardPerConversation() {
        String conversation = groupConversation();
        assertThat(await(store().fanOutMark(conversation))).isZero();

        await(store().advanceFanOutMark(conversation, 7));
        await(store().advanceFanOutMark(conversation, 3));
        await(store().advanceFanOutMark(conversation, 0));

        assertThat(await(store().fanOutMark(conversation))).isEqualTo(7);
        assertThat(await(store().fanOutMark(groupConversation()))).isZero();
        await(store().advanceFanOutMark(conversation, 8));
        assertThat(await(store().fanOutMark(conversation))).isEqualTo(8);
    }

    // ---- groups ----

    @Test
    void aCreatedGroupCanBeRead() {
        String name = group();
        Group group = Group.of(name, List.of("carol", "alice", "bob", "alice"));

        assertThat(await(store().createGroup(group))).isTrue();

        assertThat(await(store().group(name))).contains(group);
        assertThat(await(store().group(name)).orElseThrow().members()).containsExactly("alice", "bob", "carol");
    }

    @Test
    void creatingAnExistingGroupFailsAndLeavesItUnchanged() {
        String name = group();
        Group group = Group.of(name, List.of("alice"));
        await(store().createGroup(group));

        assertThat(await(store().createGroup(Group.of(name, List.of("mallory"))))).isFalse();

        assertThat(await(store().group(name))).contains(group);
    }

    @Test
    void aGroupWithoutMembersCanExist() {
        String name = group();

        assertThat(await(store().createGroup(Group.of(name, List.of())))).isTrue();

        assertThat(await(store().group(name))).contains(new Group(name, List.of()));
    }

    @Test
    void membersCanBeAddedAndRemoved() {
        String name = group();
        await(store().createGroup(Group.of(name, List.of("bob"))));

        assertThat(await(store().addMember(name, "alice"))).contains(Group.of(name, List.of("alice", "bob")));
        assertThat(await(store().addMember(name, "alice"))).contains(Group.of(name, List.of("alice", "bob")));
        assertThat(await(store().removeMember(name, "bob"))).contains(Group.of(name, List.of("alice")));
        assertThat(await(store().removeMember(name, "bob"))).contains(Group.of(name, List.of("alice")));

        assertThat(await(store().group(name))).contains(Group.of(name, List.of("alice")));
    }

    @Test
    void aMissingGroupIsEmptyAndChangingItCreatesNothing() {
        String name = group();

        assertThat(await(store().group(name))).isEmpty();
        assertThat(await(store().addMember(name, "alice"))).isEmpty();
        assertThat(await(store().removeMember(name, "alice"))).isEmpty();
        assertThat(await(store().group(name))).isEmpty();
    }

    // ---- concurrency ----

    @Test
    void concurrentAppendsToOneConversationGetContiguousPositionsEvenWhenRetried() {
        String conversation = groupConversation();
        List<MessageDraft> drafts = IntStream.range(0, WRITERS * 20)
                .mapToObj(i -> new MessageDraft(conversation, "u" + (i % WRITERS), "m" + i, "body " + i, null, i))
                .toList();

        List<LogEntry> results = concurrently(twiceShuffled(drafts), draft -> store().appendToLog(draft));

        Map<String, Set<Long>> positionsById = results.stream().collect(Collectors.groupingBy(LogEntry::id,
                Collectors.mapping(LogEntry::convSeq, Collectors.toSet())));
        assertThat(positionsById).hasSize(drafts.size()).allSatisfy((id, positions) -> assertThat(positions).hasSize(1));
        List<LogEntry> log = await(store().readLog(conversation, Long.MAX_VALUE, 10_000));
        assertThat(convSeqs(log)).containsExactlyElementsOf(descending(drafts.size()));
        assertThat(log).extracting(LogEntry::id).doesNotHaveDuplicates();
        assertThat(log).allSatisfy(entry -> assertThat(positionsById.get(entry.id())).containsExactly(entry.convSeq()));
    }

    @Test
    void concurrentAppendsToOneInboxGetContiguousSeqsEvenWhenRetried() {
        String user = user();
        List<String> conversations = IntStream.range(0, 4).mapToObj(i -> groupConversation()).toList();
        List<LogEntry> entries = IntStream.range(0, WRITERS * 20)
                .mapToObj(i -> new LogEntry(conversations.get(i % 4), i / 4 + 1, "u", "m" + i, "b" + i, null, i))
                .toList();

        List<Long> seqs = concurrently(twiceShuffled(entries), entry -> store().appendToInbox(user, entry));

        assertThat(Set.copyOf(seqs)).hasSize(entries.size());
        List<InboxEntry> inbox = await(store().readInbox(user, 0, 10_000));
        assertThat(seqs(inbox)).containsExactlyElementsOf(LongStream.rangeClosed(1, entries.size()).boxed().toList());
        assertThat(inbox).extracting(InboxEntry::entry).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(await(store().inboxHead(user))).isEqualTo(entries.size());
    }

    @Test
    void concurrentClaimsOfOneSendAllSeeTheSameWinner() {
        String sender = user();
        String conversation = groupConversation();
        List<SendClaim> claims = IntStream.range(0, WRITERS * 4)
                .mapToObj(i -> new SendClaim(sender, "c1", conversation, "digest-" + i)).toList();

        List<SendClaim> answers = concurrently(claims, claim -> store().claimSend(claim));

        assertThat(Set.copyOf(answers)).hasSize(1);
        assertThat(claims).contains(answers.get(0));
    }

    @Test
    void concurrentOffsetAdvancesKeepTheHighest() {
        String user = user();
        String conversation = groupConversation();
        List<Long> marks = LongStream.rangeClosed(1, WRITERS * 10L).boxed().collect(Collectors.toList());
        Collections.shuffle(marks);

        concurrently(marks, mark -> store().advanceReadOffset(user, conversation, mark));
        concurrently(marks, mark -> store().advanceDeliveredOffset(user, "d", mark));
        concurrently(marks, mark -> store().advanceFanOutMark(conversation, mark));

        assertThat(await(store().readOffset(user, conversation))).isEqualTo(marks.size());
        assertThat(await(store().deliveredOffset(user, "d"))).isEqualTo(marks.size());
        assertThat(await(store().fanOutMark(conversation))).isEqualTo(marks.size());
    }

    @Test
    void concurrentMembershipChangesAreNotLost() {
        String name = group();
        await(store().createGroup(Group.of(name, List.of("owner"))));
        List<String> joiners = IntStream.range(0, WRITERS * 4).mapToObj(i -> "m" + i).toList();

        concurrently(joiners, member -> store().addMember(name, member));
        concurrently(joiners.subList(0, WRITERS), member -> store().removeMember(name, member));

        assertThat(await(store().group(name)).orElseThrow().members())
                .hasSize(joiners.size() - WRITERS + 1)
                .contains("owner")
                .doesNotContainAnyElementsOf(joiners.subList(0, WRITERS));
    }

    // ---- helpers ----

    /** A fresh user id, unique across runs. */
    protected static String user() {
        return "u" + suffix();
    }

    protected static String group() {
        return "g" + suffix();
    }

    protected static String groupConversation() {
        return "g:" + group();
    }

    protected static String directConversation(String a, String b) {
        return a.compareTo(b) <= 0 ? "dm:" + a + ":" + b : "dm:" + b + ":" + a;
    }

    protected static <T> T await(CompletionStage<T> stage) {
        return Stages.await(stage);
    }

    /** The exception a stage failed with; fails the test if it succeeded. */
    protected static Throwable failure(CompletionStage<?> stage) {
        return Stages.failure(stage);
    }

    /** Appends {@code count} messages from fresh senders; returns them in order. */
    protected List<LogEntry> appendMessages(String conversation, int count) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(await(store().appendToLog(new MessageDraft(conversation, user(), "m" + i, "body " + i, null, i))));
        }
        return entries;
    }

    protected void fillInbox(String user, int count) {
        String conversation = groupConversation();
        for (int i = 1; i <= count; i++) {
            await(store().appendToInbox(user, entry(conversation, i)));
        }
    }

    protected static LogEntry entry(String conversation, long convSeq) {
        return new LogEntry(conversation, convSeq, "sender", "id-" + convSeq, "body " + convSeq, null, convSeq);
    }

    /**
     * Runs {@code call} for every item from {@value #WRITERS} threads started together, each call
     * awaited before the thread takes the next item; returns the answers in item order.
     */
    private static <T, R> List<R> concurrently(List<T> items, Function<T, CompletionStage<R>> call) {
        List<CompletableFuture<R>> answers = items.stream().map(i -> new CompletableFuture<R>()).toList();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.execute(() -> {
                    awaitLatch(start);
                    for (int i = writer; i < items.size(); i += WRITERS) {
                        try {
                            answers.get(i).complete(call.apply(items.get(i)).toCompletableFuture()
                                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                        } catch (Exception e) {
                            answers.get(i).completeExceptionally(e);
                        }
                    }
                });
            }
            start.countDown();
            return answers.stream().map(MessageStoreContract::await).toList();
        } finally {
            writers.shutdownNow();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every item twice, in random order: a retry racing the first attempt. */
    private static <T> List<T> twiceShuffled(List<T> items) {
        List<T> doubled = new ArrayList<>(items);
        doubled.addAll(items);
        Collections.shuffle(doubled);
        return doubled;
    }

    private static List<Long> convSeqs(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::convSeq).toList();
    }

    private static List<Long> seqs(List<InboxEntry> entries) {
        return entries.stream().map(InboxEntry::seq).toList();
    }

    private static List<Long> descending(int count) {
        return LongStream.iterate(count, i -> i >= 1, i -> i - 1).boxed().toList();
    }

    /** Random text of exactly {@code utf8Bytes} bytes of UTF-8, mixing 1- to 4-byte characters. */
    private static String randomText(int utf8Bytes) {
        int[] samples = {'a', 'Z', ' ', 'é', 'ж', '中', 'ش', 0x1F600, 0x1D11E};
        StringBuilder text = new StringBuilder();
        int size = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (size < utf8Bytes) {
            int codePoint = samples[random.nextInt(samples.length)];
            int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (size + length > utf8Bytes) {
                codePoint = 'x';
                length = 1;
            }
            text.appendCodePoint(codePoint);
            size += length;
        }
        return text.toString();
    }

    private static String suffix() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}
