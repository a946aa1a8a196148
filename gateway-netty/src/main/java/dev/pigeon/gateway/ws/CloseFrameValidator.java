package dev.pigeon.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Checks the payload of a received close frame against RFC 6455 sections 5.5, 5.5.1 and 7.4.
 * Netty's decoder checks part of this but answers a bad close with no close frame at all, and it
 * takes close codes of 5000 and above for valid; a peer that breaks the closing handshake must
 * be told why (1002, or 1007 for a reason that is not UTF-8).
 */
final class CloseFrameValidator {

    /** A control frame carries at most 125 bytes: two for the code, 123 for the reason. */
    static final int MAX_REASON_BYTES = 123;

    private CloseFrameValidator() {
    }

    /** The status to fail the connection with, or empty when the payload is a valid close. */
    static Optional<WebSocketCloseStatus> violationIn(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length == 0) {
            return Optional.empty();
        }
        if (length == 1 || length - 2 > MAX_REASON_BYTES) {
            return Optional.of(WebSocketCloseStatus.PROTOCOL_ERROR);
        }
        if (!isValidReceivedCode(payload.getUnsignedShort(payload.readerIndex()))) {
            return Optional.of(WebSocketCloseStatus.PROTOCOL_ERROR);
        }
        if (!ByteBufUtil.isText(payload, payload.readerIndex() + 2, length - 2, StandardCharsets.UTF_8)) {
            return Optional.of(WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
        }
        return Optional.empty();
    }

    /**
     * Codes a peer may send: those RFC 6455 defines for use in a frame, the IANA-registered 1012 to
     * 1014, and the 3000-4999 range for libraries and applications. 1004 is reserved; 1005, 1006
     * and 1015 must never appear on the wire; the rest below 3000 are unassigned.
     */
    static boolean isValidReceivedCode(int code) {
        return code >= 1000 && code <= 1003
                || code >= 1007 && code <= 1014
                || code >= 3000 && code <= 4999;
    }
}
