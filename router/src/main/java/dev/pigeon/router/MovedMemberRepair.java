package dev.pigeon.router;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.MessageStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fills what a move of a member's home left out of their inbox. While a home moves, every region
 * skips the member when placing (their writes pause), and a failover starts the member's new stream
 * where this data centre's copy ends; either way the member may lack recent entries of a
 * conversation. Before an entry is placed into a member whose home has moved (epoch above 1), the
 * entries of the same conversation before it, sent within {@link #WINDOW}, that the member lacks
 * are placed first, oldest first, so the member still sees the conversation in {@code conv_seq}
 * order. Entries older than the window predate any move still settling and are left alone (a
 * member who joined a group later must not get its history).
 */
final class MovedMemberRepair {
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** Entries looked at before one entry at most. */
    static final int MAX_ENTRIES = 200;

    private final MessageStore store;
    private final StoreCalls calls;
    private final Clock clock;

    MovedMemberRepair(MessageStore store, StoreCalls calls, Clock clock) {
        this.store = store;
        this.calls = calls;
        this.clock = clock;
    }

    /**
     * Places the missing entries of {@code entry}'s conversation before it into {@code member}'s
     * inbox. The common case costs one read: the entry just before is there, and entries reach an
     * inbox in order, so every earlier one is too.
     */
    CompletableFuture<Void> before(String member, LogEntry entry) {
        if (entry.convSeq() <= 1) {
            return CompletableFuture.completedFuture(null);
        }
        return has(member, entry.conversation(), entry.convSeq() - 1).thenCompose(present -> present
                ? CompletableFuture.completedFuture(null)
                : fill(member, entry.conversation(), entry.convSeq(), true));
    }

    /**
     * Places every entry of the conversation before {@code entry} and within the window that
     * {@code member} lacks, looking at each one: after a move, a write the old home made under a
     * stale cached home may have left a hole between entries the member has. Used once per
     * conversation when a move completes.
     */
    CompletableFuture<Void> throughout(String member, LogEntry entry) {
        return fill(member, entry.conversation(), entry.convSeq(), false);
    }

    private CompletableFuture<Void> fill(String member, String conversation, long before, boolean stopAtPresent) {
        return calls.call(() -> store.readLog(conversation, before, MAX_ENTRIES))
                .thenCompose(newestFirst -> missing(member, newestFirst, 0, stopAtPresent, new ArrayList<>()))
                .thenCompose(missing -> appendOldestFirst(member, missing));
    }

    /** The entries {@code member} lacks, walking back until one outside the window (or, if asked, one it has). */
    private CompletableFuture<List<LogEntry>> missing(String member, List<LogEntry> newestFirst, int index,
                                                      boolean stopAtPresent, List<LogEntry> into) {
        long oldest = clock.millis() - WINDOW.toMillis();
        if (index == newestFirst.size() || newestFirst.get(index).ts() < oldest) {
            return CompletableFuture.completedFuture(into);
        }
        LogEntry candidate = newestFirst.get(index);
        return has(member, candidate.conversation(), candidate.convSeq()).thenCompose(present -> {
            if (present && stopAtPresent) {
                return CompletableFuture.completedFuture(into);
            }
            if (!present) {
                into.add(candidate);
            }
            return missing(member, newestFirst, index + 1, stopAtPresent, into);
        });
    }

    private CompletableFuture<Void> appendOldestFirst(String member, List<LogEntry> newestFirst) {
        List<LogEntry> entries = new ArrayList<>(newestFirst);
        Collections.reverse(entries);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (LogEntry entry : entries) {
            chain = chain.thenCompose(done -> calls.call(() -> store.appendToInbox(member, entry)).thenApply(seq -> null));
        }
        return chain;
    }

    private CompletableFuture<Boolean> has(String member, String conversation, long convSeq) {
        return calls.call(() -> store.inboxSeqOf(member, conversation, convSeq)).thenApply(found -> found.isPresent());
    }
}
