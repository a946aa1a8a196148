package dev.pigeon.ops.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.IOException;

/** Reads one session's server frames and hands them to its listener. */
final class LoadSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final SessionListener listener;
    private String closeCode;

    LoadSessionHandler(SessionListener listener) {
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            onServerFrame(frame);
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = Integer.toString(close.statusCode());
            ctx.close();
        } else {
            listener.error("unexpected_frame", () -> frame.getClass().getSimpleName() + " on a pigeon.v1.json session");
        }
    }

    private void onServerFrame(WebSocketFrame frame) {
        long receivedNanos = System.nanoTime();
        ServerFrameReader.ServerFrame server;
        try {
            server = ServerFrameReader.read(frame.content());
        } catch (IOException e) {
            listener.error("unreadable_frame", e::getMessage);
            return;
        }
        try {
            if ("hello".equals(server.type())) {
                listener.opened();
            } else {
                listener.received(server, receivedNanos);
            }
        } catch (NumberFormatException e) {
            listener.error("unreadable_frame", () -> server.type() + " frame without the fields this run sent: " + e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            listener.error("handshake_timeout", () -> "no WebSocket upgrade answer");
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
            listener.error("handshake_" + handshake.response().status().code(), cause::getMessage);
        } else {
            listener.error("connection_error", cause::toString);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        listener.closed(closeCode);
        super.channelInactive(ctx);
    }
}
