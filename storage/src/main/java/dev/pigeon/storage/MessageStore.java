package dev.pigeon.storage;

import dev.pigeon.protocol.LogEntry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The durable state of Pigeon: conversation logs, per-user inboxes, read and delivery offsets,
 * send de-duplication and groups.
 *
 * <p>Every append is idempotent on a natural key, so that a send which failed half way can be
 * retried from the start and completes exactly once: {@link #claimSend} on (sender, client id),
 * {@link #appendToLog} on (conversation, from, id), {@link #appendToInbox} on (user, conversation,
 * conv_seq). Positions are assigned by the store: {@code conv_seq} per conversation and {@code seq}
 * per user start at 1 and are strictly increasing and contiguous, whatever the concurrency.
 *
 * <p>Methods never block the caller; a store that cannot be reached fails the returned stage with
 * {@link StorageUnavailableException}.
 */
public interface MessageStore extends AutoCloseable {

    /**
     * Records the first attempt of a send. Returns the claim that holds for (sender, client id):
     * {@code claim} itself when it is the first, else the earlier one (which the caller compares
     * to detect an id reused for another conversation or body).
     */
    CompletionStage<SendClaim> claimSend(SendClaim claim);

    /**
     * Appends a message to its conversation log at the next {@code conv_seq}, or returns the entry
     * already appended for the same (conversation, from, id).
     */
    CompletionStage<LogEntry> appendToLog(MessageDraft draft);

    /**
     * Appends a log entry to a user's inbox at the next {@code seq}, or returns the {@code seq} it
     * already has there.
     */
    CompletionStage<Long> appendToInbox(String user, LogEntry entry);

    /** The log entry appended for (conversation, from, id), if any: a lookup by natural key that writes nothing. */
    CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id);

    /** The {@code seq} at which a user's inbox holds (conversation, conv_seq), if it does; writes nothing. */
    CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq);

    /** Inbox entries with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit);

    /** The user's newest {@code seq}, 0 when the inbox is empty. */
    CompletionStage<Long> inboxHead(String user);

    /** Log entries with {@code conv_seq < beforeConvSeq}, newest first, at most {@code limit}. */
    CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit);

    /** Moves a read marker forward (never back); returns the marker now stored. */
    CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo);

    /** The read marker of a user in a conversation, 0 when none. */
    CompletionStage<Long> readOffset(String user, String conversation);

    /** Moves a device's delivered offset forward (never back); returns the offset now stored. */
    CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo);

    /** The delivered offset of a user's device, 0 when none. */
    CompletionStage<Long> deliveredOffset(String user, String device);

    /**
     * How far a conversation's entries are in the inboxes of its members: every entry up to this
     * {@code conv_seq} is, so a later one may follow it there without breaking {@code conv_seq}
     * order. 0 when none.
     */
    CompletionStage<Long> fanOutMark(String conversation);

    /** Moves the fan-out mark forward to {@code convSeq}; a lower value leaves it where it is. */
    CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq);

    /** Creates a group; false when a group of that name already exists (it is left unchanged). */
    CompletionStage<Boolean> createGroup(Group group);

    CompletionStage<Optional<Group>> group(String name);

    /** Adds a member; empty when the group does not exist. */
    CompletionStage<Optional<Group>> addMember(String group, String user);

    /** Removes a member; empty when the group does not exist. */
    CompletionStage<Optional<Group>> removeMember(String group, String user);

    /** Flushes and releases the store; nothing acknowledged before is lost. */
    @Override
    void close();
}
