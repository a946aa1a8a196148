package dev.pigeon.ops.load;

import dev.pigeon.protocol.ConversationId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulated user with one WebSocket session, chatting with its pair in their {@code dm:}
 * conversation. Settles once: when its {@code hello} arrives, or when it fails before that.
 */
final class LoadSession {
    private final String user;
    private final String token;
    private final String sendPrefix;
    private final MessageBody body;
    private final LoadStats stats;
    private final Runnable onSettled;
    private final AtomicBoolean settled = new AtomicBoolean();

    private volatile Channel channel;
    private volatile boolean open;
    private volatile boolean closing;

    LoadSession(String user, String peer, String token, MessageBody body, LoadStats stats, Runnable onSettled) {
        this.user = user;
        this.token = token;
        this.body = body;
        this.stats = stats;
        this.onSettled = onSettled;
        // user ids and timestamps need no JSON escaping, so the frame is written as ASCII directly
        this.sendPrefix = "{\"type\":\"send\",\"conversation\":\"" + ConversationId.direct(user, peer).value()
                + "\",\"id\":\"";
    }

    String user() {
        return user;
    }

    String token() {
        return token;
    }

    void connecting(Channel channel) {
        this.channel = channel;
    }

    void opened() {
        open = true;
        stats.sessionOpened();
        settle();
    }

    /** The connection ended; {@code closeCode} is the server's close code, or null when it sent none. */
    void closed(String closeCode) {
        if (open) {
            open = false;
            stats.sessionClosed(closing ? null : closeCode == null ? "no close frame" : closeCode);
        }
        settle();
    }

    /** Connecting failed before any connection existed. */
    void failed() {
        settle();
    }

    /**
     * Sends the message scheduled at {@code dueNanos}; its client id is that time too, unique per
     * sender, which lets its {@code sent} be matched to the schedule without any lookup. It is
     * written even to a channel that is not writable: an open-loop generator does not slow down,
     * and the backlog shows as latency.
     */
    void send(long dueNanos) {
        Channel ch = channel;
        if (!open || ch == null) {
            stats.error("not_connected", () -> user + " had no open session when a send was due");
            return;
        }
        ch.eventLoop().execute(() -> {
            String id = Long.toString(dueNanos);
            ByteBuf frame = ch.alloc().buffer(sendPrefix.length() + id.length() + body.maxBytes() + 16);
            ByteBufUtil.writeAscii(frame, sendPrefix);
            ByteBufUtil.writeAscii(frame, id);
            ByteBufUtil.writeAscii(frame, "\",\"body\":\"");
            body.writeTo(frame, dueNanos);
            ByteBufUtil.writeAscii(frame, "\"}");
            ch.writeAndFlush(new TextWebSocketFrame(frame), ch.voidPromise());
            stats.sent(dueNanos, System.nanoTime());
        });
    }

    /** From now on a close is the end of the run, not a disconnect. */
    void ending() {
        closing = true;
    }

    private void settle() {
        if (settled.compareAndSet(false, true)) {
            onSettled.run();
        }
    }
}
