package dev.pigeon.ops.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The body of a load message: the {@link System#nanoTime()} it was scheduled at, in decimal,
 * padded with {@code x} to the requested size (never cut: a body is at least the timestamp). The
 * receiver of a message runs in the sender's process, so the two clocks are the same.
 */
final class MessageBody {
    private final String padding;

    MessageBody(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("body size must not be negative");
        }
        this.padding = "x".repeat(bytes);
    }

    /** Writes the body for a message scheduled at {@code scheduledNanos}, as ASCII. */
    void writeTo(ByteBuf out, long scheduledNanos) {
        String stamp = Long.toString(scheduledNanos);
        ByteBufUtil.writeAscii(out, stamp);
        if (stamp.length() < padding.length()) {
            ByteBufUtil.writeAscii(out, padding.subSequence(stamp.length(), padding.length()));
        }
    }

    /** The largest number of bytes {@link #writeTo} writes. */
    int maxBytes() {
        return Math.max(padding.length(), 20);
    }

    /** The scheduled time a body carries; throws {@link NumberFormatException} for a foreign body. */
    static long scheduledNanos(String body) {
        if (body == null) {
            throw new NumberFormatException("a message without a body");
        }
        int end = body.indexOf('x');
        return Long.parseLong(end < 0 ? body : body.substring(0, end));
    }
}
