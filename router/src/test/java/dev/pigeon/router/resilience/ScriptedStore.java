package dev.pigeon.router.resilience;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StorageUnavailableException;

import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that answers as told: values, outages, silence or rejected requests; it counts the calls reaching it. */
final class ScriptedStore implements MessageStore {
    enum Behaviour { ANSWER, UNAVAILABLE, HANG, REJECT_REQUEST, THROW_ILLEGAL_ARGUMENT }

    static final ProtocolException REJECTION = ProtocolException.badRequest("no such conversation");
    static final IllegalArgumentException ILLEGAL = new IllegalArgumentException("limit must be positive");

    volatile Behaviour behaviour = Behaviour.ANSWER;
    final AtomicInteger calls = new AtomicInteger();
    private final Queue<Runnable> hanging = new ConcurrentLinkedQueue<>();

    /** Answers every call left hanging. */
    void releaseHanging() {
        for (Runnable answer; (answer = hanging.poll()) != null; ) {
            answer.run();
        }
    }

    private <T> CompletionStage<T> answer(T value) {
        calls.incrementAndGet();
        return switch (behaviour) {
            case ANSWER -> CompletableFuture.completedFuture(value);
            case UNAVAILABLE -> CompletableFuture.failedFuture(new StorageUnavailableException("store down", null));
            case HANG -> {
                CompletableFuture<T> pending = new CompletableFuture<>();
                hanging.add(() -> pending.complete(value));
                yield pending;
            }
            case REJECT_REQUEST -> CompletableFuture.failedFuture(REJECTION);
            case THROW_ILLEGAL_ARGUMENT -> throw ILLEGAL;
        };
    }

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return answer(claim);
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        return answer(null);
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        return answer(1L);
    }

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return answer(List.of());
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return answer(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return answer(Optional.empty());
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return answer(42L);
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return answer(List.of());
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return answer(upTo);
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return answer(0L);
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return answer(upTo);
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return answer(0L);
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return answer(0L);
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return answer(null);
    }

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return answer(true);
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return answer(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return answer(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return answer(Optional.empty());
    }

    @Override
    public void close() {
    }
}
