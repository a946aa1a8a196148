package dev.pigeon.router.resilience;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageStore} whose every call goes through a circuit breaker, bulkhead and timeout named
 * {@value #NAME}: while the store is down, requests answer {@code unavailable} at once instead of
 * piling up, and the circuit closes by itself once probes succeed again.
 */
public final class ResilientMessageStore implements MessageStore {
    /** The name of the breaker and bulkhead, the {@code name} tag of their meters. */
    public static final String NAME = "storage";

    private final MessageStore delegate;
    private final CallGuard guard;

    public ResilientMessageStore(MessageStore delegate, ResilienceSettings settings, MeterRegistry meters) {
        this.delegate = delegate;
        this.guard = new CallGuard(NAME, settings, meters);
    }

    /** The guard of this store's backend, for other calls into the same database. */
    CallGuard guard() {
        return guard;
    }

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return guard.call(() -> delegate.claimSend(claim));
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        return guard.call(() -> delegate.appendToLog(draft));
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        return guard.call(() -> delegate.appendToInbox(user, entry));
    }

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return guard.call(() -> delegate.readInbox(user, afterSeq, limit));
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return guard.call(() -> delegate.logEntryOf(conversation, from, id));
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return guard.call(() -> delegate.inboxSeqOf(user, conversation, convSeq));
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return guard.call(() -> delegate.inboxHead(user));
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return guard.call(() -> delegate.readLog(conversation, beforeConvSeq, limit));
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return guard.call(() -> delegate.advanceReadOffset(user, conversation, upTo));
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return guard.call(() -> delegate.readOffset(user, conversation));
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return guard.call(() -> delegate.advanceDeliveredOffset(user, device, upTo));
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return guard.call(() -> delegate.deliveredOffset(user, device));
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return guard.call(() -> delegate.fanOutMark(conversation));
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return guard.call(() -> delegate.advanceFanOutMark(conversation, convSeq));
    }

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return guard.call(() -> delegate.createGroup(group));
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return guard.call(() -> delegate.group(name));
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return guard.call(() -> delegate.addMember(group, user));
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return guard.call(() -> delegate.removeMember(group, user));
    }

    /** Closes the delegate unguarded: a flush on shutdown must not be refused by an open circuit. */
    @Override
    public void close() {
        delegate.close();
    }
}
