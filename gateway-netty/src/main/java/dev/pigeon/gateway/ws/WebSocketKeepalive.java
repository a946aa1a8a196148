package dev.pigeon.gateway.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an open WebSocket honest: pings the client at a fixed interval, and closes the connection
 * (1001) when nothing at all arrived for the idle timeout, pongs included. Sits at the head of the
 * pipeline, so every inbound byte counts as life.
 */
final class WebSocketKeepalive extends IdleStateHandler {
    static final int IDLE_CLOSE_CODE = 1001;

    private final long pingMillis;
    private ScheduledFuture<?> pings;

    WebSocketKeepalive(Duration pingInterval, Duration idleTimeout) {
        super(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.pingMillis = pingInterval.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        // written from the tail, so it passes the WebSocket encoder
        pings = ctx.executor().scheduleAtFixedRate(() -> ctx.channel().writeAndFlush(new PingWebSocketFrame()),
                pingMillis, pingMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        pings.cancel(false);
        super.handlerRemoved(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pings.cancel(false);
        super.channelInactive(ctx);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        pings.cancel(false);
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(IDLE_CLOSE_CODE, "idle timeout"))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
