package dev.pigeon.gateway.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Lets the upgrade request through to the handshake if it asks for RFC 6455 (version 13), and once
 * the handshake has put a frame decoder in the pipeline, puts the {@link FailFastUtf8Validator} in
 * front of it. Any other version gets 426 naming version 13, as RFC 6455 section 4.4 asks: Netty
 * would otherwise take a request without a version for the unmasked 2010 draft (hixie-76) and accept
 * the 07 and 08 drafts, none of which a current client speaks. Removes itself on the first request.
 */
final class Rfc6455Upgrade extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.pipeline().remove(this);
        String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (!WebSocketVersion.V13.toHttpHeaderValue().equals(version)) {
            ReferenceCountUtil.release(msg);
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // The handshake runs within this call: afterwards the pipeline reads frames (or the request
        // was refused), and no byte of the next read has arrived yet.
        ctx.fireChannelRead(msg);
        ChannelHandlerContext frameDecoder = ctx.pipeline().context(WebSocketFrameDecoder.class);
        if (frameDecoder != null) {
            ctx.pipeline().addBefore(frameDecoder.name(), "ws-utf8", new FailFastUtf8Validator());
        }
    }
}
