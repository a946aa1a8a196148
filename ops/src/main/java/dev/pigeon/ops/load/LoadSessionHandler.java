package dev.pigeon.ops.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads one session's server frames into the run's counters. */
final class LoadSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final LoadSession session;
    private final LoadStats stats;
    private String closeCode;

    LoadSessionHandler(LoadSession session, LoadStats stats) {
        this.session = session;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            onServerFrame(frame);
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = Integer.toString(close.statusCode());
            ctx.close();
        } else {
            stats.error("unexpected_frame", () -> frame.getClass().getSimpleName() + " on a pigeon.v1.json session");
        }
    }

    private void onServerFrame(WebSocketFrame frame) {
        ServerFrameReader.ServerFrame server;
        try {
            server = ServerFrameReader.read(frame.content());
        } catch (IOException e) {
            stats.error("unreadable_frame", e::getMessage);
            return;
        }
        try {
            switch (server.type()) {
                case "hello" -> session.opened();
                case "msg" -> {
                    if (!session.user().equals(server.from())) {
                        stats.delivered(MessageBody.scheduledNanos(server.body()), System.nanoTime());
                    }
                }
                case "sent" -> stats.acked(Long.parseLong(server.id()));
                case "error" -> stats.error(server.code() == null ? "error_without_code" : server.code(),
                        () -> frame.content().toString(StandardCharsets.UTF_8));
                default -> {
                    // pong, receipt and other frames carry nothing the run counts
                }
            }
        } catch (NumberFormatException e) {
            stats.error("unreadable_frame", () -> server.type() + " frame without the fields this run sent: " + e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            stats.error("handshake_timeout", () -> "no WebSocket upgrade answer for " + session.user());
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
            stats.error("handshake_" + handshake.response().status().code(), cause::getMessage);
        } else {
            stats.error("connection_error", cause::toString);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.closed(closeCode);
        super.channelInactive(ctx);
    }
}
