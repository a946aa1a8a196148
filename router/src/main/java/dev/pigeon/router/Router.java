package dev.pigeon.router;

import dev.pigeon.protocol.Frame;

import java.util.concurrent.CompletionStage;

/**
 * What an edge node asks of the rest of Pigeon on behalf of an authenticated user. Requests are
 * validated here; a refused one fails its stage with a {@link dev.pigeon.protocol.ProtocolException}
 * carrying the wire error code (its {@code ref} is set by the caller).
 */
public interface Router {

    /**
     * Validates, authorises, de-duplicates, sequences and persists a send, then fans it out.
     * The stage completes with {@code sent} only once the message is durable in every member's inbox.
     */
    CompletionStage<Frame.Sent> send(String user, Frame.Send send);

    /** Records that {@code device} of {@code user} has every inbox entry up to {@code upTo}. */
    CompletionStage<Void> ack(String user, String device, long upTo);

    /** Moves the user's read marker in a conversation and sends a {@code receipt} to the other members. */
    CompletionStage<Void> read(String user, String conversation, long upTo);

    /** Inbox entries with {@code seq > since}, oldest first, at most {@code limit}, and the head. */
    CompletionStage<InboxPage> sync(String user, long since, int limit);

    /** The user's newest {@code seq}. */
    CompletionStage<Long> head(String user);

    /** Conversation log entries with {@code conv_seq < before} (null: from the newest), newest first. */
    CompletionStage<Frame.HistoryPage> history(String user, String conversation, Long before, int limit);

    /**
     * Attaches a live session on this node: it is entered in presence and from now on receives
     * every {@link Delivery} for its user, until the returned registration is closed.
     */
    CompletionStage<SessionRegistration> connect(SessionInfo session, DeliverySink sink);

    /** Closes every live session of {@code user}, on whatever node (an operator's request). */
    CompletionStage<Void> disconnect(String user, String reason);
}
