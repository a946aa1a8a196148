package dev.pigeon.ops.load;

import java.util.function.Supplier;

/** What one load session hears from its connection; called on the session's event loop. */
interface SessionListener {

    /** The session's {@code hello} arrived. */
    void opened();

    /**
     * Any other server frame, read at {@code receivedNanos} ({@link System#nanoTime()}). A frame
     * without the fields the run wrote may throw {@link NumberFormatException}; it counts as unreadable.
     */
    void received(ServerFrameReader.ServerFrame frame, long receivedNanos);

    /** A failure on the client's side of the session: connect, handshake, an unreadable frame. */
    void error(String code, Supplier<String> detail);

    /** The connection ended, or never opened; {@code closeCode} is the server's close code, or null when it sent none. */
    void closed(String closeCode);
}
