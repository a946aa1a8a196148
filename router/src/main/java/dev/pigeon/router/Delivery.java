package dev.pigeon.router;

import dev.pigeon.protocol.Frame;
import dev.pigeon.storage.InboxEntry;

/** Something the router hands to the live sessions of one user. */
public sealed interface Delivery {

    String user();

    /** A new inbox entry. Sessions deliver these in {@code seq} order and fill any gap from the inbox. */
    record Message(String user, InboxEntry entry) implements Delivery {
    }

    /** Another member's read marker moved. */
    record Receipt(String user, Frame.Receipt receipt) implements Delivery {
    }

    /** Close the user's sessions (an operator asked); clients reconnect and resume. */
    record Disconnect(String user, String reason) implements Delivery {
    }

    /**
     * Deliveries to this node may have been lost (its bus subscription was away): read the inbox head
     * and fill up to it. Handed to the local sessions only; it never travels the bus.
     */
    record CatchUp(String user) implements Delivery {
    }
}
