package dev.pigeon.router.region;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.storage.HomeStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What one region asks of another over the region link. The local side implements it; the link
 * carries each call to a node of the other region and the answer back. A call that the other side
 * refuses fails with its {@link dev.pigeon.protocol.ProtocolException}; one that cannot reach it
 * fails with {@link dev.pigeon.storage.StorageUnavailableException}.
 */
public interface RegionCalls {

    /** Runs a send whose conversation is homed in the called region, on behalf of {@code sender}. */
    CompletionStage<Frame.Sent> send(String sender, Frame.Send send);

    /**
     * Places log entries of one conversation (oldest first, contiguous) into the inboxes of its
     * members homed in the called region, in {@code conv_seq} order after that region's mark.
     */
    CompletionStage<Placement> place(String conversation, List<LogEntry> entries);

    /** Hands deliveries to the called region's live sessions of their users. */
    CompletionStage<Void> deliver(List<Delivery> deliveries);

    /** Stores a device's delivered offset for a user homed in the called region. */
    CompletionStage<Void> ack(String user, String device, long upTo);

    /** Moves a read marker of a user homed in the called region. */
    CompletionStage<Void> read(String user, String conversation, long upTo);

    /** Drops every cached copy of a home in the called region (it moved). */
    CompletionStage<Void> forgetHome(HomeStore.Kind kind, String id);

    /** The called region's view of the regions: which are lost, and its live nodes. */
    CompletionStage<Standing> standing();

    /** The live sessions each of {@code users} has in the called region (the admin API's presence across regions). */
    CompletionStage<Map<String, List<SessionInfo>>> sessions(List<String> users);

    /** Counts over the called region's live sessions. */
    CompletionStage<PresenceStats> stats();
}
