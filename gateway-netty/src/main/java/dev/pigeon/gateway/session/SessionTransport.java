package dev.pigeon.gateway.session;

import dev.pigeon.protocol.Frame;
import io.netty.channel.EventLoop;

/**
 * One transport's side of a {@link ClientSession}: how frames reach the client over one channel.
 * The session calls every method on {@link #eventLoop()} only.
 */
public interface SessionTransport {

    /** {@code ws}, {@code sse} or {@code poll}: the transport's name in presence and metrics. */
    String name();

    /** The event loop of the channel; all session state lives on it. */
    EventLoop eventLoop();

    /** The {@code heartbeat_ms} announced in {@code hello}: how often this transport shows it is alive. */
    long heartbeatMillis();

    /** False while the channel's outbound buffer is above its high water mark. */
    boolean isWritable();

    /** Writes the {@code hello}; {@code position} is the inbox position the stream starts after. */
    void hello(Frame.Hello hello, long position);

    /** Writes one frame, without flushing. */
    void write(Frame.ServerFrame frame);

    void flush();

    /** Ends the transport for {@code reason}; frames written before are flushed first. */
    void end(SessionEnd reason);
}
