package dev.pigeon.client;

import dev.pigeon.protocol.Frame;

import java.util.concurrent.CompletableFuture;

/**
 * One attempt at a session over one transport. {@link #open} is called once; events then flow to
 * the given {@link Events} from any thread, ending with exactly one {@link Events#closed} unless
 * {@link #close()} was called first.
 */
interface Transport {

    TransportKind kind();

    /** Starts the session after inbox position {@code since} (null: live from the head on). */
    void open(Long since, String token, Events events);

    /** Sends a validated {@code send}; completes with its {@code sent}, or fails with a {@link dev.pigeon.protocol.ProtocolException}. */
    CompletableFuture<Frame.Sent> send(Frame.Send send);

    /** Sends an {@code ack} or {@code read}; a lost one is harmless (the next one covers it). */
    void request(Frame.ClientFrame frame);

    /** Ends the session; no event follows. */
    void close();

    interface Events {
        /** The session is open and streams the inbox after {@code position}. */
        void opened(long position);

        /** A server frame for the client: {@code msg}, {@code receipt}, or an {@code error} no send waits for. */
        void frame(Frame.ServerFrame frame);

        /** Something arrived (a keepalive, a ping): the connection is alive. */
        void activity();

        /** The session ended: {@code cause} null when the server ended it cleanly. */
        void closed(Throwable cause);
    }
}
