package dev.pigeon.router;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StorageUnavailableException;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store behind a switchboard of faults: inbox appends of chosen users fail, claims may never
 * answer; it also counts the most inbox appends it had in flight at once.
 */
final class FaultyStore implements MessageStore {
    final Set<String> failingInboxes = ConcurrentHashMap.newKeySet();
    volatile boolean claimsHang;
    final AtomicInteger inboxAppendsInFlight = new AtomicInteger();
    final AtomicInteger mostInboxAppendsAtOnce = new AtomicInteger();
    private final MessageStore delegate;

    FaultyStore(MessageStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return claimsHang ? new CompletableFuture<>() : delegate.claimSend(claim);
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        return delegate.appendToLog(draft);
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        if (failingInboxes.contains(user)) {
            return CompletableFuture.failedFuture(new StorageUnavailableException("inbox of " + user + " is down", null));
        }
        mostInboxAppendsAtOnce.accumulateAndGet(inboxAppendsInFlight.incrementAndGet(), Math::max);
        return delegate.appendToInbox(user, entry).whenComplete((seq, failure) -> inboxAppendsInFlight.decrementAndGet());
    }

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return delegate.readInbox(user, afterSeq, limit);
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return delegate.logEntryOf(conversation, from, id);
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return delegate.inboxSeqOf(user, conversation, convSeq);
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return delegate.inboxHead(user);
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return delegate.readLog(conversation, beforeConvSeq, limit);
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return delegate.advanceReadOffset(user, conversation, upTo);
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return delegate.readOffset(user, conversation);
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return delegate.advanceDeliveredOffset(user, device, upTo);
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return delegate.deliveredOffset(user, device);
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return delegate.fanOutMark(conversation);
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return delegate.advanceFanOutMark(conversation, convSeq);
    }

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return delegate.createGroup(group);
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return delegate.group(name);
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return delegate.addMember(group, user);
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return delegate.removeMember(group, user);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
