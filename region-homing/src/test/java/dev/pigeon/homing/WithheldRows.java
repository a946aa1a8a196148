package dev.pigeon.homing;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A data centre's copy of a store that some rows have not reached yet: range reads of the log and
 * the inbox skip the rows withheld, as they would skip rows still being replicated. Everything
 * else goes to the store as it is.
 */
final class WithheldRows implements MessageStore {
    private record Row(String partition, long position) {
    }

    private final MessageStore store;
    private final Set<Row> logRows = ConcurrentHashMap.newKeySet();
    private final Set<Row> inboxRows = ConcurrentHashMap.newKeySet();

    WithheldRows(MessageStore store) {
        this.store = store;
    }

    void withholdLogRow(String conversation, long convSeq) {
        logRows.add(new Row(conversation, convSeq));
    }

    void withholdInboxRow(String user, long seq) {
        inboxRows.add(new Row(user, seq));
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return store.readLog(conversation, beforeConvSeq, limit).thenApply(page -> page.stream()
                .filter(entry -> !logRows.contains(new Row(conversation, entry.convSeq()))).toList());
    }

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return store.readInbox(user, afterSeq, limit).thenApply(page -> page.stream()
                .filter(entry -> !inboxRows.contains(new Row(user, entry.seq()))).toList());
    }

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return store.claimSend(claim);
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        return store.appendToLog(draft);
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        return store.appendToInbox(user, entry);
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return store.logEntryOf(conversation, from, id);
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return store.inboxSeqOf(user, conversation, convSeq);
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return store.inboxHead(user);
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return store.advanceReadOffset(user, conversation, upTo);
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return store.readOffset(user, conversation);
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return store.advanceDeliveredOffset(user, device, upTo);
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return store.deliveredOffset(user, device);
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return store.fanOutMark(conversation);
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return store.advanceFanOutMark(conversation, convSeq);
    }

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return store.createGroup(group);
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return store.group(name);
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return store.addMember(group, user);
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return store.removeMember(group, user);
    }

    /** The store is closed by its owner. */
    @Override
    public void close() {
    }
}
