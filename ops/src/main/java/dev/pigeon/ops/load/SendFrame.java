package dev.pigeon.ops.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * The {@code send} frames of one sender into one conversation. Conversation ids, client ids and
 * bodies of a load run need no JSON escaping, so a frame is written as ASCII directly.
 */
final class SendFrame {
    private final String prefix;
    private final MessageBody body;
    private final LoadStats stats;

    SendFrame(String conversation, MessageBody body, LoadStats stats) {
        this.prefix = "{\"type\":\"send\",\"conversation\":\"" + conversation + "\",\"id\":\"";
        this.body = body;
        this.stats = stats;
    }

    /**
     * Writes the message scheduled at {@code scheduledNanos} with client id {@code id} on the
     * channel's event loop, even to a channel that is not writable: an open-loop generator does not
     * slow down, and the backlog shows as latency.
     */
    void send(Channel channel, String id, long scheduledNanos) {
        stats.dispatched(scheduledNanos);
        channel.eventLoop().execute(() -> {
            ByteBuf frame = channel.alloc().buffer(prefix.length() + id.length() + body.maxBytes() + 16);
            ByteBufUtil.writeAscii(frame, prefix);
            ByteBufUtil.writeAscii(frame, id);
            ByteBufUtil.writeAscii(frame, "\",\"body\":\"");
            body.writeTo(frame, scheduledNanos);
            ByteBufUtil.writeAscii(frame, "\"}");
            channel.writeAndFlush(new TextWebSocketFrame(frame), channel.voidPromise());
            stats.sent(scheduledNanos, System.nanoTime());
        });
    }
}
