package dev.pigeon.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Rejects a text message the moment a byte arrives that cannot be UTF-8, even in the middle of a
 * frame, as RFC 6455 section 8.1 asks: Netty's frame decoder hands on whole frames only, so a check
 * after it would wait for up to a megabyte of a frame already known to be bad.
 *
 * <p>Sits before the frame decoder and reads the raw bytes without consuming them, following the
 * frame headers to find, unmask and check the payload of text messages; bytes are passed on
 * unchanged. On a bad byte it passes on only the bytes before it (never the end of the offending
 * frame, so the decoder never completes that message), drops everything after, and raises the
 * 1007 error that {@link CloseHandshakeHandler} answers. Framing errors are left to the decoder;
 * after a close frame nothing more is checked, as the decoder reads no further either.
 */
final class FailFastUtf8Validator extends ChannelInboundHandlerAdapter {

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int FIRST_CONTROL_OPCODE = 0x8;

    private enum Part { FIRST_BYTE, SECOND_BYTE, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD, NOT_CHECKING, FAILED }

    private final Utf8Sequence utf8 = new Utf8Sequence();
    private Part part = Part.FIRST_BYTE;
    private boolean finalFragment;
    private int opcode;
    private boolean masked;
    private int lengthBytesLeft;
    private long payloadLeft;
    private int maskBytesLeft;
    private int mask;
    private long payloadIndex;
    private boolean inTextMessage;
    private boolean checkingPayload;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (part == Part.FAILED) {
            bytes.release();
            return;
        }
        int invalidAt = scan(bytes);
        if (invalidAt < 0) {
            ctx.fireChannelRead(bytes);
            return;
        }
        part = Part.FAILED;
        ByteBuf valid = bytes.retainedSlice(bytes.readerIndex(), invalidAt - bytes.readerIndex());
        bytes.release();
        ctx.fireChannelRead(valid);
        ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(
                WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "invalid UTF-8 in a text message"));
    }

    /** Follows the frames in {@code bytes}; the index to cut the stream at, or -1 if all is well. */
    private int scan(ByteBuf bytes) {
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (part != Part.NOT_CHECKING) {
            if (part == Part.PAYLOAD) {
                int n = (int) Math.min(payloadLeft, end - i);
                if (checkingPayload) {
                    for (int k = 0; k < n; k++) {
                        if (!utf8.accept(bytes.getByte(i + k) ^ maskByte(payloadIndex + k))) {
                            return i + k;
                        }
                    }
                }
                i += n;
                payloadIndex += n;
                payloadLeft -= n;
                if (payloadLeft > 0) {
                    return -1;
                }
                if (!endFrame()) {
                    // Hold back the frame's last byte: without it the decoder cannot complete the message.
                    return i - 1;
                }
                continue;
            }
            if (i == end) {
                return -1;
            }
            readHeaderByte(bytes.getUnsignedByte(i++));
        }
        return -1;
    }

    private void readHeaderByte(int b) {
        switch (part) {
            case FIRST_BYTE -> {
                finalFragment = (b & 0x80) != 0;
                opcode = b & 0x0F;
                part = Part.SECOND_BYTE;
            }
            case SECOND_BYTE -> {
                masked = (b & 0x80) != 0;
                int length = b & 0x7F;
                if (length < 126) {
                    payloadLeft = length;
                    afterLength();
                } else {
                    payloadLeft = 0;
                    lengthBytesLeft = length == 126 ? 2 : 8;
                    part = Part.EXTENDED_LENGTH;
                }
            }
            case EXTENDED_LENGTH -> {
                payloadLeft = payloadLeft << 8 | b;
                if (--lengthBytesLeft == 0) {
                    afterLength();
                }
            }
            case MASKING_KEY -> {
                mask = mask << 8 | b;
                if (--maskBytesLeft == 0) {
                    startPayload();
                }
            }
            default -> throw new IllegalStateException("not in a frame header: " + part);
        }
    }

    private void afterLength() {
        mask = 0;
        if (masked) {
            maskBytesLeft = 4;
            part = Part.MASKING_KEY;
        } else {
            startPayload();
        }
    }

    private void startPayload() {
        if (opcode == OPCODE_CLOSE || payloadLeft < 0) {
            // After a close, and on a length no decoder accepts, the stream ends anyway.
            part = Part.NOT_CHECKING;
            return;
        }
        if (opcode == OPCODE_TEXT) {
            inTextMessage = true;
            utf8.reset();
        } else if (opcode != OPCODE_CONTINUATION && opcode < FIRST_CONTROL_OPCODE) {
            inTextMessage = false;
        }
        checkingPayload = inTextMessage && opcode < FIRST_CONTROL_OPCODE;
        payloadIndex = 0;
        part = Part.PAYLOAD;
    }

    /** Ends the current frame; false when it ends a text message in the middle of a character. */
    private boolean endFrame() {
        part = Part.FIRST_BYTE;
        if (opcode >= FIRST_CONTROL_OPCODE || !finalFragment) {
            return true;
        }
        boolean complete = !checkingPayload || utf8.isComplete();
        inTextMessage = false;
        return complete;
    }

    private int maskByte(long index) {
        return mask >>> (24 - 8 * (int) (index & 3));
    }
}
