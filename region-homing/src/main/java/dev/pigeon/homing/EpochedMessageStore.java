package dev.pigeon.homing;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StorageUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import static java.util.concurrent.CompletableFuture.completedFuture;

/**
 * A {@link MessageStore} for sequences that move between regions: each user's inbox and each
 * conversation's log is a {@link StreamChain} of per-epoch streams in the underlying store, so that
 * no row written under one epoch shares a key with a row written under another (see
 * docs/regions.md, "Epochs are part of every sequenced key"). Callers see one sequence with
 * contiguous positions; rows an old epoch holds beyond its valid range (orphans) are never shown.
 *
 * <p>Writes are refused ({@link StorageUnavailableException}) unless the user or conversation is
 * homed in this region and not moving: the region that owns a sequence is its only writer.
 *
 * <p>Fan-out marks are kept per (conversation, region): each region places a conversation's
 * entries into the inboxes of its own members.
 */
public final class EpochedMessageStore implements MessageStore {
    /** Entries read at the tail of a stream to find where its contiguous part ends. */
    static final int TAIL_WINDOW = 256;

    private final MessageStore base;
    private final HomeDirectory directory;
    private final StreamChains chains;

    public EpochedMessageStore(MessageStore base, HomeStore homes, HomeDirectory directory) {
        this.base = base;
        this.directory = directory;
        this.chains = new StreamChains(homes);
    }

    /**
     * Records where the stream of {@code newEpoch} (the epoch a move is about to give {@code id})
     * starts: right after the highest position up to which this data centre holds every position of
     * the current chain. Returns the start that holds (an earlier record wins).
     */
    public CompletionStage<Long> openEpoch(Kind kind, String id, long newEpoch) {
        return chainOf(kind, id, newEpoch - 1)
                .thenCompose(chain -> contiguousHead(kind, chain.current()))
                .thenCompose(head -> chains.record(kind, id, newEpoch, head + 1));
    }

    /** The stream holding {@code id}'s positions under {@code epoch}, and the range valid there. */
    public CompletionStage<StreamChain> chain(Kind kind, String id) {
        return home(kind, id).thenCompose(home -> chainOf(kind, id, home.epoch()));
    }

    // ---- writes, only at home ----

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return base.claimSend(claim);
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        String conversation = draft.conversation();
        return writableChain(Kind.CONVERSATION, conversation).thenCompose(chain ->
                inEarlierSegments(chain, segment -> base.logEntryOf(segment.stream(), draft.from(), draft.id())
                        .thenApply(found -> found.filter(entry -> segment.holds(segment.global(entry.convSeq())))
                                .map(entry -> segment.toGlobal(conversation, entry))))
                        .thenCompose(found -> found.isPresent() ? completedFuture(found.get())
                                : appendToCurrentLog(chain.current(), conversation, draft)));
    }

    private CompletionStage<LogEntry> appendToCurrentLog(StreamChain.Segment segment, String conversation,
                                                         MessageDraft draft) {
        MessageDraft inStream = new MessageDraft(segment.stream(), draft.from(), draft.id(), draft.body(),
                draft.format(), draft.ts());
        return base.appendToLog(inStream).thenApply(entry -> segment.toGlobal(conversation, entry));
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        return writableChain(Kind.USER, user).thenCompose(chain ->
                inEarlierSegments(chain, segment -> base.inboxSeqOf(segment.stream(), entry.conversation(), entry.convSeq())
                        .thenApply(found -> found.map(segment::global).filter(segment::holds)))
                        .thenCompose(found -> found.isPresent() ? completedFuture(found.get())
                                : base.appendToInbox(chain.current().stream(), entry).thenApply(chain.current()::global)));
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return writableChain(Kind.USER, user).thenCompose(chain ->
                base.advanceReadOffset(chain.current().stream(), conversation, upTo)
                        .thenCompose(stored -> furthest(earlierSegments(chain), readOffsetIn(conversation))
                                .thenApply(earlier -> Math.max(stored, earlier))));
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return writableChain(Kind.USER, user).thenCompose(chain ->
                base.advanceDeliveredOffset(chain.current().stream(), device, upTo)
                        .thenCompose(stored -> furthest(earlierSegments(chain), deliveredOffsetIn(device))
                                .thenApply(earlier -> Math.max(stored, earlier))));
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return base.advanceFanOutMark(markKey(conversation), convSeq);
    }

    // ---- reads, wherever the reader is ----

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return chain(Kind.USER, user).thenCompose(chain ->
                readInboxFrom(chain.segments(), 0, afterSeq, limit, new ArrayList<>()));
    }

    private CompletionStage<List<InboxEntry>> readInboxFrom(List<StreamChain.Segment> segments, int index, long afterSeq,
                                                            int limit, List<InboxEntry> into) {
        if (index == segments.size() || into.size() >= limit) {
            return completedFuture(into);
        }
        StreamChain.Segment segment = segments.get(index);
        if (segment.end() <= afterSeq) {
            return readInboxFrom(segments, index + 1, afterSeq, limit, into);
        }
        return base.readInbox(segment.stream(), Math.max(0, segment.local(afterSeq)), limit - into.size())
                .thenCompose(page -> {
                    for (InboxEntry entry : page) {
                        long seq = segment.global(entry.seq());
                        if (!segment.holds(seq)) {
                            break;
                        }
                        into.add(new InboxEntry(seq, entry.entry()));
                    }
                    long last = into.isEmpty() ? afterSeq : into.get(into.size() - 1).seq();
                    return readInboxFrom(segments, index + 1, Math.max(afterSeq, last), limit, into);
                });
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return chain(Kind.USER, user).thenCompose(chain -> head(chain.current(), base.inboxHead(chain.current().stream())));
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return chain(Kind.CONVERSATION, conversation).thenCompose(chain ->
                readLogFrom(conversation, chain.segments(), chain.segments().size() - 1, beforeConvSeq, limit,
                        new ArrayList<>()));
    }

    private CompletionStage<List<LogEntry>> readLogFrom(String conversation, List<StreamChain.Segment> segments, int index,
                                                        long beforeConvSeq, int limit, List<LogEntry> into) {
        if (index < 0 || into.size() >= limit) {
            return completedFuture(into);
        }
        StreamChain.Segment segment = segments.get(index);
        if (segment.start() >= beforeConvSeq) {
            return readLogFrom(conversation, segments, index - 1, beforeConvSeq, limit, into);
        }
        long before = Math.min(beforeConvSeq, segment.end() == Long.MAX_VALUE ? Long.MAX_VALUE : segment.end() + 1);
        long localBefore = before == Long.MAX_VALUE ? Long.MAX_VALUE : segment.local(before);
        return base.readLog(segment.stream(), localBefore, limit - into.size()).thenCompose(page -> {
            page.stream().map(entry -> segment.toGlobal(conversation, entry))
                    .filter(entry -> segment.holds(entry.convSeq()))
                    .forEach(into::add);
            return readLogFrom(conversation, segments, index - 1, Math.min(beforeConvSeq, segment.start()), limit, into);
        });
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return chain(Kind.USER, user).thenCompose(chain -> furthest(chain.segments(), readOffsetIn(conversation)));
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return chain(Kind.USER, user).thenCompose(chain -> furthest(chain.segments(), deliveredOffsetIn(device)));
    }

    private Function<StreamChain.Segment, CompletionStage<Long>> readOffsetIn(String conversation) {
        return segment -> base.readOffset(segment.stream(), conversation);
    }

    /** An old epoch's offset counts only up to the epoch's end: beyond it are orphans. */
    private Function<StreamChain.Segment, CompletionStage<Long>> deliveredOffsetIn(String device) {
        return segment -> base.deliveredOffset(segment.stream(), device).thenApply(offset -> Math.min(offset, segment.end()));
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return base.fanOutMark(markKey(conversation));
    }

    // ---- not sequenced: groups are sets merged cell by cell ----

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return base.createGroup(group);
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return base.group(name);
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return base.addMember(group, user);
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return base.removeMember(group, user);
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return chain(Kind.CONVERSATION, conversation).thenCompose(chain ->
                inSegments(chain.segments(), chain.segments().size() - 1, segment ->
                        base.logEntryOf(segment.stream(), from, id)
                                .thenApply(found -> found.map(entry -> segment.toGlobal(conversation, entry))
                                        .filter(entry -> segment.holds(entry.convSeq())))));
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return chain(Kind.USER, user).thenCompose(chain ->
                inSegments(chain.segments(), chain.segments().size() - 1, segment ->
                        base.inboxSeqOf(segment.stream(), conversation, convSeq)
                                .thenApply(found -> found.map(segment::global).filter(segment::holds))));
    }

    /** The underlying store is closed by its owner. */
    @Override
    public void close() {
    }

    // ---- chains ----

    private CompletionStage<Home> home(Kind kind, String id) {
        return kind == Kind.USER ? directory.homeOfUser(id) : directory.homeOfConversation(id);
    }

    private CompletionStage<StreamChain> chainOf(Kind kind, String id, long epoch) {
        return chains.chain(kind, id, epoch);
    }

    private CompletionStage<StreamChain> writableChain(Kind kind, String id) {
        return home(kind, id).thenCompose(home -> {
            if (!directory.isLocal(home)) {
                throw new StorageUnavailableException(id + " is homed in region " + home.region()
                        + " (epoch " + home.epoch() + "), not here", null);
            }
            if (home.moving()) {
                throw new StorageUnavailableException(id + " is moving to region " + home.movingTo(), null);
            }
            return chainOf(kind, id, home.epoch());
        });
    }

    private String markKey(String conversation) {
        return conversation + "@" + directory.localRegion();
    }

    /** The highest global position up to which this data centre holds every position of {@code segment}. */
    private CompletionStage<Long> contiguousHead(Kind kind, StreamChain.Segment segment) {
        if (kind == Kind.USER) {
            return base.inboxHead(segment.stream()).thenCompose(head ->
                    base.readInbox(segment.stream(), Math.max(0, head - TAIL_WINDOW), TAIL_WINDOW)
                            .thenApply(tail -> segment.global(contiguousUpTo(Math.max(0, head - TAIL_WINDOW),
                                    tail.stream().mapToLong(InboxEntry::seq).toArray()))));
        }
        return base.readLog(segment.stream(), Long.MAX_VALUE, TAIL_WINDOW).thenApply(newestFirst -> {
            long[] positions = newestFirst.stream().mapToLong(LogEntry::convSeq).sorted().toArray();
            // Fewer than a window's worth is the whole stream, which starts at 1; a full window is its tail.
            long below = positions.length < TAIL_WINDOW ? 0 : positions[0] - 1;
            return segment.global(contiguousUpTo(below, positions));
        });
    }

    /** Given ascending positions read after {@code from}, the last one reached without a hole. */
    static long contiguousUpTo(long from, long[] ascending) {
        long reached = from;
        for (long position : ascending) {
            if (position != reached + 1) {
                break;
            }
            reached = position;
        }
        return reached;
    }

    private static CompletionStage<Long> head(StreamChain.Segment segment, CompletionStage<Long> localHead) {
        return localHead.thenApply(segment::global);
    }

    /** Looks in the segments before the current one, newest first. */
    private static <T> CompletionStage<Optional<T>> inEarlierSegments(
            StreamChain chain, Function<StreamChain.Segment, CompletionStage<Optional<T>>> lookup) {
        return inSegments(chain.segments(), chain.segments().size() - 2, lookup);
    }

    private static List<StreamChain.Segment> earlierSegments(StreamChain chain) {
        return chain.segments().subList(0, chain.segments().size() - 1);
    }

    private static <T> CompletionStage<Optional<T>> inSegments(
            List<StreamChain.Segment> segments, int index, Function<StreamChain.Segment, CompletionStage<Optional<T>>> lookup) {
        if (index < 0) {
            return completedFuture(Optional.empty());
        }
        return lookup.apply(segments.get(index)).thenCompose(found ->
                found.isPresent() ? completedFuture(found) : inSegments(segments, index - 1, lookup));
    }

    /**
     * The highest offset of any of {@code segments}: each epoch's stream keeps its own, which starts
     * at 0, so an offset advanced under a later epoch may stay below one reached under an earlier.
     */
    private static CompletionStage<Long> furthest(List<StreamChain.Segment> segments,
                                                  Function<StreamChain.Segment, CompletionStage<Long>> read) {
        CompletableFuture<Long> result = completedFuture(0L);
        for (StreamChain.Segment segment : segments) {
            result = result.thenCompose(found -> read.apply(segment).thenApply(offset -> Math.max(found, offset)));
        }
        return result;
    }
}
