package dev.pigeon.gateway.ws;

import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionEnd;
import dev.pigeon.gateway.session.SessionTransport;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A client session over a WebSocket: decodes each message (text as JSON, binary as protobuf) into a
 * request for the session, and writes the session's frames in the negotiated subprotocol. The
 * session opens once the handshake is complete. Drain and close reach the session through the
 * {@link dev.pigeon.gateway.session.SessionEventsHandler} ahead of this handler.
 */
final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter implements SessionTransport {
    static final String PROTO_SUBPROTOCOL = "pigeon.v1.proto";
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final Channel channel;
    private final WebSocketFraming.Settings framing;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final FrameCodec json;
    private final FrameCodec proto;
    private ClientSession session;
    private boolean open;
    private boolean binary;

    WebSocketSessionHandler(Channel channel, WebSocketFraming.Settings framing, Duration pingInterval,
                            Duration idleTimeout, FrameCodec json, FrameCodec proto) {
        this.channel = channel;
        this.framing = framing;
        this.pingInterval = pingInterval;
        this.idleTimeout = idleTimeout;
        this.json = json;
        this.proto = proto;
    }

    void bind(ClientSession session) {
        this.session = session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            open = true;
            binary = PROTO_SUBPROTOCOL.equals(framing.subprotocolOrDefault(handshake.selectedSubprotocol()));
            ctx.pipeline().addFirst("ws-keepalive", new WebSocketKeepalive(pingInterval, idleTimeout));
            session.open();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                serve(json, text.content());
            } else if (msg instanceof BinaryWebSocketFrame data) {
                serve(proto, data.content());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void serve(FrameCodec codec, ByteBuf content) {
        Frame.ClientFrame request;
        try {
            request = codec.decodeClient(new ByteBufInputStream(content));
        } catch (ProtocolException e) {
            session.onBadRequest(e);
            return;
        } catch (UncheckedIOException e) {
            session.onBadRequest(ProtocolException.badRequest("unreadable frame"));
            return;
        }
        session.onRequest(request);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing WebSocket {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    // ---- SessionTransport ----

    @Override
    public String name() {
        return "ws";
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public long heartbeatMillis() {
        return pingInterval.toMillis();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void hello(Frame.Hello hello, long position) {
        write(hello);
    }

    @Override
    public void write(Frame.ServerFrame frame) {
        ByteBuf buffer = channel.alloc().buffer();
        try {
            (binary ? proto : json).encode(frame, new ByteBufOutputStream(buffer));
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
        channel.write(binary ? new BinaryWebSocketFrame(buffer) : new TextWebSocketFrame(buffer));
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void end(SessionEnd reason) {
        if (!open || reason == SessionEnd.CLIENT_GONE) {
            channel.close();
            return;
        }
        channel.writeAndFlush(closeFrameFor(reason)).addListener(ChannelFutureListener.CLOSE);
    }

    static CloseWebSocketFrame closeFrameFor(SessionEnd reason) {
        return switch (reason) {
            case SLOW_CONSUMER -> new CloseWebSocketFrame(1008, "slow consumer");
            case RESTART -> new CloseWebSocketFrame(1012, "restart");
            case TOKEN_EXPIRED -> new CloseWebSocketFrame(4401, "token expired");
            case DISCONNECTED -> new CloseWebSocketFrame(4000, "disconnected");
            case UNAVAILABLE -> new CloseWebSocketFrame(1013, "try again later");
            case CLIENT_GONE, LIFETIME, COMPLETE -> new CloseWebSocketFrame(1000, "");
        };
    }
}
