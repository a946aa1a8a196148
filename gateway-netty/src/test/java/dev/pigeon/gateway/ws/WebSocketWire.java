package dev.pigeon.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's side of a server under test in an {@link EmbeddedChannel}: writes raw, masked
 * frames (malformed ones included, which Netty's own encoder refuses to build) and decodes what
 * the server wrote back.
 */
final class WebSocketWire {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private final EmbeddedChannel server;
    private final EmbeddedChannel responseDecoder =
            new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(8192));
    private final EmbeddedChannel frameDecoder =
            new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, Integer.MAX_VALUE));

    WebSocketWire(EmbeddedChannel server) {
        this.server = server;
    }

    /** Sends an upgrade request for {@code uri}, offering {@code subprotocols} if not null. */
    FullHttpResponse handshake(String uri, String subprotocols) {
        String request = "GET " + uri + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (subprotocols != null ? "Sec-WebSocket-Protocol: " + subprotocols + "\r\n" : "")
                + "\r\n";
        return sendHttp(request);
    }

    /** Sends a raw HTTP request and returns the server's response. */
    FullHttpResponse sendHttp(String request) {
        server.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            responseDecoder.writeInbound(out);
        }
        if (!server.isOpen()) {
            // A response without Content-Length ends where the connection does.
            responseDecoder.close();
        }
        return responseDecoder.readInbound();
    }

    void send(int opcode, byte[] payload) {
        send(opcode, true, payload);
    }

    void send(int opcode, boolean fin, byte[] payload) {
        server.writeInbound(frame(opcode, fin, payload));
    }

    void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with exactly this code and these reason bytes, valid or not. */
    void sendClose(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        send(CLOSE, payload);
    }

    /** Every frame the server has written since the last call; the caller releases them. */
    List<WebSocketFrame> received() {
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            frameDecoder.writeInbound(out);
        }
        List<WebSocketFrame> frames = new ArrayList<>();
        WebSocketFrame frame;
        while ((frame = frameDecoder.readInbound()) != null) {
            frames.add(frame);
        }
        return frames;
    }

    /** The one close frame the server has written, as its status code (-1 for an empty close). */
    int receivedCloseCode() {
        List<WebSocketFrame> frames = received();
        try {
            if (frames.size() != 1 || !(frames.get(0) instanceof CloseWebSocketFrame close)) {
                throw new AssertionError("expected one close frame, got " + frames);
            }
            return close.statusCode();
        } finally {
            frames.forEach(WebSocketFrame::release);
        }
    }

    void finish() {
        responseDecoder.finishAndReleaseAll();
        frameDecoder.finishAndReleaseAll();
    }

    /** A masked client frame, with the payload length in its shortest encoding. */
    static ByteBuf frame(int opcode, boolean fin, byte[] payload) {
        ByteBuf buf = Unpooled.buffer(payload.length + 14);
        buf.writeByte((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            buf.writeByte(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            buf.writeByte(0x80 | 126).writeShort(payload.length);
        } else {
            buf.writeByte(0x80 | 127).writeLong(payload.length);
        }
        buf.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++) {
            buf.writeByte(payload[i] ^ MASK[i % 4]);
        }
        return buf;
    }
}
