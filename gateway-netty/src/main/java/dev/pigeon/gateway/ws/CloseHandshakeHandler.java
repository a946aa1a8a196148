package dev.pigeon.gateway.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends a WebSocket the way RFC 6455 asks. A valid close frame is answered with a close carrying
 * the same code; an invalid one, a frame the decoder or UTF-8 validator rejected, and a message
 * over the size limit are answered with the matching close code (1002, 1007, 1009). In every case
 * the TCP connection is closed once the close frame is written, or when the close timeout passes
 * first (a peer that reads nothing must not hold the connection open).
 *
 * <p>Sits after the protocol handler, so the close frame it writes passes through that handler,
 * which then drops any later write. Close frames, the framing errors above and a connection lost
 * in the middle of a fragmented message stop here.
 */
final class CloseHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(CloseHandshakeHandler.class);

    private final long closeTimeoutNanos;

    CloseHandshakeHandler(Duration closeTimeout) {
        this.closeTimeoutNanos = closeTimeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof CloseWebSocketFrame close)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            CloseWebSocketFrame reply = CloseFrameValidator.violationIn(close.content())
                    .map(status -> new CloseWebSocketFrame(status, ctx.alloc()))
                    .orElseGet(() -> echoOf(close, ctx));
            closeAfterWriting(ctx, reply);
        } finally {
            close.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            // The peer left in the middle of a fragmented message: nothing to answer, nothing lost.
            return;
        }
        WebSocketCloseStatus status = statusFor(cause);
        if (status == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.debug("Closing WebSocket {} with {}: {}", ctx.channel(), status.code(), cause.getMessage());
        closeAfterWriting(ctx, new CloseWebSocketFrame(status, ctx.alloc()));
    }

    /** Closes the connection once the close frame is written, or after the close timeout if it cannot be. */
    private void closeAfterWriting(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
        Channel channel = ctx.channel();
        if (channel.isOpen()) {
            Future<?> forcedClose = ctx.executor().schedule(
                    () -> channel.close(), closeTimeoutNanos, TimeUnit.NANOSECONDS);
            channel.closeFuture().addListener(closed -> forcedClose.cancel(false));
        }
    }

    /** Answers with the received code alone; an empty close is answered with an empty one. */
    private static CloseWebSocketFrame echoOf(CloseWebSocketFrame close, ChannelHandlerContext ctx) {
        return close.content().isReadable()
                ? new CloseWebSocketFrame(true, 0, ctx.alloc(), close.statusCode(), "")
                : new CloseWebSocketFrame(true, 0, ctx.alloc().buffer(0));
    }

    private static WebSocketCloseStatus statusFor(Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            return corrupted.closeStatus();
        }
        if (cause instanceof TooLongFrameException) {
            return WebSocketCloseStatus.MESSAGE_TOO_BIG;
        }
        return null;
    }
}
