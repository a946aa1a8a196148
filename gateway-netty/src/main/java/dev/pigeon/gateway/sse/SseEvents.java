package dev.pigeon.gateway.sse;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;

import java.time.Duration;

/**
 * Server-Sent Events as PROTOCOL.md spells them: {@code msg} events carry {@code id: <seq>},
 * {@code hello} carries {@code id: <position>}, errors are {@code failure} events (EventSource
 * keeps {@code error} for itself), other frames are events named by their type without an id.
 * The data line is the frame's JSON, which never holds a raw line break.
 */
public final class SseEvents {
    static final String FAILURE_EVENT = "failure";

    private final FrameCodec json;

    public SseEvents(FrameCodec json) {
        this.json = json;
    }

    /** {@code retry: <ms>}: how long EventSource waits before reconnecting. */
    public ByteBuf retry(ByteBufAllocator alloc, Duration retry) {
        ByteBuf buffer = alloc.buffer(24);
        ByteBufUtil.writeAscii(buffer, "retry: " + retry.toMillis() + "\n\n");
        return buffer;
    }

    /** The comment line that keeps proxies from timing the stream out. */
    public ByteBuf keepalive(ByteBufAllocator alloc) {
        ByteBuf buffer = alloc.buffer(6);
        ByteBufUtil.writeAscii(buffer, ": ka\n\n");
        return buffer;
    }

    /** The {@code hello} event, whose id is the inbox position the stream starts after. */
    public ByteBuf hello(ByteBufAllocator alloc, Frame.Hello hello, long position) {
        return event(alloc, Long.toString(position), hello.type(), hello);
    }

    /** Any other server frame as an event. */
    public ByteBuf frame(ByteBufAllocator alloc, Frame.ServerFrame frame) {
        if (frame instanceof Frame.Msg msg) {
            return event(alloc, Long.toString(msg.seq()), msg.type(), msg);
        }
        if (frame instanceof Frame.Error) {
            return event(alloc, null, FAILURE_EVENT, frame);
        }
        return event(alloc, null, frame.type(), frame);
    }

    private ByteBuf event(ByteBufAllocator alloc, String id, String name, Frame frame) {
        ByteBuf buffer = alloc.buffer();
        try {
            if (id != null) {
                ByteBufUtil.writeAscii(buffer, "id: " + id + "\n");
            }
            ByteBufUtil.writeAscii(buffer, "event: " + name + "\ndata: ");
            json.encode(frame, new ByteBufOutputStream(buffer));
            ByteBufUtil.writeAscii(buffer, "\n\n");
            return buffer;
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
    }
}
