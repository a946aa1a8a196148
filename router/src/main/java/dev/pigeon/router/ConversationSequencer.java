package dev.pigeon.router;

import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.region.Placement;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Appends a message to its conversation's log and to its members' inboxes so that every member's
 * inbox holds the conversation's entries in {@code conv_seq} order, whichever nodes send them and
 * whatever crashes between the log and the inboxes.
 *
 * <p>The rule, kept in storage so that it holds across nodes: an entry enters an inbox only once
 * every earlier entry of its conversation is in its members' inboxes, which the conversation's
 * fan-out mark records (it is raised only after an entry is in all of them). This node appends one
 * message of a conversation at a time and remembers the mark it reached, so back-to-back sends
 * cost no extra read. A message whose predecessor this node did not place (sent through another
 * node that is still at it, or that died half way) reads the mark and first places the entries in
 * between, with the members the conversation has now. Inbox appends are idempotent, so an entry
 * placed twice is placed once.
 *
 * <p>Readers show an entry only once it is placed ({@link #placedThrough}, which places it if a
 * send failed half way), so no member sees what another member's inbox lacks, and a send that
 * failed before its entry was placed shows nowhere until it is retried or a later one places it.
 *
 * <p>A retry of a message that is already behind the mark only looks up the sender's {@code seq}:
 * its other members have it, and anyone else would now get it out of order.
 *
 * <p>With several regions the same holds per region: a region places entries into the inboxes of
 * its own members only, under its own fan-out mark, whether the conversation is homed here (a send)
 * or elsewhere (entries pushed over the region link, {@link #placePushed}).
 */
final class ConversationSequencer {
    private static final Logger log = LoggerFactory.getLogger(ConversationSequencer.class);
    /** Entries read from the log at once when placing ones another node left unplaced. */
    private static final int CATCH_UP_PAGE = 100;
    /** Inbox appends one entry may have in flight. */
    private static final int INBOX_APPENDS_IN_FLIGHT = 64;
    /** Conversations whose mark this node remembers; a forgotten one costs one read on its next send. */
    private static final int REMEMBERED_MARKS = 100_000;

    private final MessageStore store;
    private final StoreCalls calls;
    private final Membership membership;
    private final RegionRouting routing;
    private final MovedMemberRepair repair;
    private final KeyedLanes lanes;
    private final BoundedMap<String, Long> marks = new BoundedMap<>(REMEMBERED_MARKS);

    /** The members of a conversation that an entry went to, with their {@code seq} of it. */
    record Placed(LogEntry entry, Map<String, Long> seqs) {
        Placed {
            seqs = Map.copyOf(seqs);
        }
    }

    ConversationSequencer(MessageStore store, StoreCalls calls, Membership membership, RegionRouting routing,
                          MovedMemberRepair repair, Executor executor) {
        this.repair = repair;
        this.store = store;
        this.calls = calls;
        this.membership = membership;
        this.routing = routing;
        this.lanes = new KeyedLanes(executor);
    }

    /** Appends to the log (or finds the earlier append of the same message), then to the inboxes of {@code members}. */
    CompletableFuture<Placed> append(MessageDraft draft, List<String> members) {
        return lanes.run(draft.conversation(), () -> calls.call(() -> store.appendToLog(draft))
                .thenCompose(entry -> placeInOrder(entry, members)));
    }

    private CompletableFuture<Placed> placeInOrder(LogEntry entry, List<String> members) {
        String conversation = entry.conversation();
        long known = rememberedMark(conversation);
        if (entry.convSeq() - 1 <= known) {
            return place(entry, members, known);
        }
        return calls.call(() -> store.fanOutMark(conversation))
                .thenCompose(mark -> catchUp(conversation, mark, entry.convSeq())
                        .thenCompose(placedUpTo -> place(entry, members, Math.max(mark, placedUpTo))));
    }

    private CompletableFuture<Placed> place(LogEntry entry, List<String> members, long mark) {
        if (entry.convSeq() <= mark) {
            return appendToLocalInboxes(List.of(entry.from()), entry).thenApply(seqs -> new Placed(entry, seqs));
        }
        return appendToLocalInboxes(members, entry)
                .thenCompose(seqs -> raiseMark(entry).thenApply(raised -> new Placed(entry, seqs)));
    }

    /**
     * Places entries of a conversation homed in another region (oldest first, contiguous) into this
     * region's members, after this region's mark. Entries starting beyond the mark + 1 place
     * nothing: the answer's mark tells the sender where to start. Completes with the mark reached
     * and, for the newest entry, the seqs of the members placed now, or the sender's seq when it
     * is homed here and the entry was placed before.
     */
    CompletableFuture<Placement> placePushed(String conversation, List<LogEntry> entries) {
        return lanes.run(conversation, () -> {
            long known = rememberedMark(conversation);
            LogEntry newest = entries.get(entries.size() - 1);
            CompletableFuture<Long> mark = known >= newest.convSeq()
                    ? CompletableFuture.completedFuture(known)
                    : calls.call(() -> store.fanOutMark(conversation)).thenApply(stored -> Math.max(stored, known));
            return mark.thenCompose(current -> {
                if (entries.get(0).convSeq() > current + 1) {
                    return CompletableFuture.completedFuture(new Placement(current, Map.of()));
                }
                CompletableFuture<Map<String, Long>> chain = CompletableFuture.completedFuture(Map.of());
                for (LogEntry entry : entries) {
                    if (entry.convSeq() <= current) {
                        continue;
                    }
                    chain = chain.thenCompose(previous -> membership.members(ConversationId.parse(conversation))
                            .thenCompose(members -> appendToLocalInboxes(members, entry))
                            .thenCompose(seqs -> raiseMark(entry).thenApply(raised -> seqs)));
                }
                return chain.thenCompose(seqs -> newest.convSeq() > current || !seqs.isEmpty()
                        ? CompletableFuture.completedFuture(new Placement(newest.convSeq(), seqs))
                        : appendToLocalInboxes(List.of(newest.from()), newest)
                                .thenApply(senderSeq -> new Placement(Math.max(current, newest.convSeq()), senderSeq)));
            });
        });
    }

    /**
     * Completes once every entry of the conversation up to {@code convSeq} is in its members'
     * inboxes, placing (with the members it has now) any that a failed or unfinished send left out.
     * Readers call it before they show entries, so that what one member sees every member has.
     */
    CompletableFuture<Void> placedThrough(String conversation, long convSeq) {
        if (rememberedMark(conversation) >= convSeq) {
            return CompletableFuture.completedFuture(null);
        }
        return calls.call(() -> store.fanOutMark(conversation)).thenCompose(mark -> {
            marks.merge(conversation, mark, Math::max);
            return catchUp(conversation, mark, convSeq + 1).thenApply(placedUpTo -> null);
        });
    }

    private long rememberedMark(String conversation) {
        Long remembered = marks.get(conversation);
        return remembered == null ? 0 : remembered;
    }

    /** Places the entries after {@code mark} and before {@code convSeq}, oldest first; completes with the last placed. */
    private CompletableFuture<Long> catchUp(String conversation, long mark, long convSeq) {
        if (mark >= convSeq - 1) {
            return CompletableFuture.completedFuture(mark);
        }
        long before = Math.min(convSeq, mark + 1 + CATCH_UP_PAGE);
        return calls.call(() -> store.readLog(conversation, before, (int) (before - mark - 1))).thenCompose(newestFirst -> {
            List<LogEntry> page = new ArrayList<>(newestFirst);
            Collections.reverse(page);
            if (page.isEmpty() || page.get(0).convSeq() != mark + 1) {
                // a log homed in another region may not have reached this data centre yet
                throw new StorageUnavailableException("log of " + conversation + " has no entry " + (mark + 1)
                        + " here although a later one exists", null);
            }
            log.debug("placing {} entries of {} after mark {} before {}", page.size(), conversation, mark, convSeq);
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (LogEntry unplaced : page) {
                chain = chain.thenCompose(done -> membership.members(ConversationId.parse(conversation))
                        .thenCompose(members -> appendToLocalInboxes(members, unplaced))
                        .thenCompose(seqs -> raiseMark(unplaced)));
            }
            long last = page.get(page.size() - 1).convSeq();
            return chain.thenCompose(done -> catchUp(conversation, last, convSeq));
        });
    }

    /** Appends the entry to the inboxes of the members homed in this region, filling first what a move left out. */
    private CompletableFuture<Map<String, Long>> appendToLocalInboxes(List<String> members, LogEntry entry) {
        return routing.split(members).thenCompose(split -> CompletableFuture.allOf(split.moved().stream()
                        .map(member -> repair.before(member, entry)).toArray(CompletableFuture[]::new))
                .thenCompose(repaired -> appendToInboxes(split.local(), entry)));
    }

    /**
     * Appends the entry to every member's inbox, at most {@value #INBOX_APPENDS_IN_FLIGHT} at a time
     * so that one large group cannot take every storage call this node may have in flight; completes
     * with each member's seq once all are durable, or fails with the first failure.
     */
    private CompletableFuture<Map<String, Long>> appendToInboxes(List<String> members, LogEntry entry) {
        return new InboxAppends(members, entry).start();
    }

    /** The inbox appends of one entry: a window of appends in flight, the next starting as one ends. */
    private final class InboxAppends {
        private final List<String> members;
        private final LogEntry entry;
        private final Map<String, Long> seqs = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger unfinished;
        private final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();

        InboxAppends(List<String> members, LogEntry entry) {
            this.members = members;
            this.entry = entry;
            this.unfinished = new AtomicInteger(members.size());
        }

        CompletableFuture<Map<String, Long>> start() {
            if (members.isEmpty()) {
                done.complete(Map.of());
            }
            for (int i = 0; i < Math.min(INBOX_APPENDS_IN_FLIGHT, members.size()); i++) {
                appendNext();
            }
            return done;
        }

        private void appendNext() {
            int index = next.getAndIncrement();
            if (index >= members.size() || done.isDone()) {
                return;
            }
            String member = members.get(index);
            calls.call(() -> store.appendToInbox(member, entry)).whenComplete((seq, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                    return;
                }
                seqs.put(member, seq);
                if (unfinished.decrementAndGet() == 0) {
                    done.complete(seqs);
                } else {
                    appendNext();
                }
            });
        }
    }

    /** Records in storage, then in this node's memory, that the entry and every one before it are placed. */
    private CompletableFuture<Void> raiseMark(LogEntry entry) {
        return calls.call(() -> store.advanceFanOutMark(entry.conversation(), entry.convSeq()))
                .thenRun(() -> marks.merge(entry.conversation(), entry.convSeq(), Math::max));
    }
}
