package dev.pigeon.client;

import dev.pigeon.protocol.Frame;

/**
 * What a {@link PigeonClient} tells the application. Callbacks run one at a time, in order, on the
 * client's own event thread (never on the caller's thread); a slow callback delays later ones but not
 * the connection. Every method has an empty default.
 */
public interface PigeonListener {

    /**
     * One inbox entry, each once and in {@code seq} order (the user's own sends included). The position
     * is saved once this returns (in small batches), so a client started again on the same state never
     * skips an entry; after a crash it may repeat the last few (at most 64) with the same {@code seq},
     * which an application that keeps its own position ignores.
     */
    default void onMessage(Frame.Msg message) {
    }

    /** A queued send is durable on the server. */
    default void onSent(Frame.Sent sent) {
    }

    /** The server refused a queued send for good ({@code bad_request}, {@code forbidden}, ...); it is dropped. */
    default void onSendFailed(Frame.Send send, Frame.Error error) {
    }

    /** Another member's read marker moved. */
    default void onReceipt(Frame.Receipt receipt) {
    }

    /** The connection changed state or transport. */
    default void onStateChange(ConnectionState state) {
    }

    /** An error frame the server sent that answers no queued send. */
    default void onError(Frame.Error error) {
    }
}
