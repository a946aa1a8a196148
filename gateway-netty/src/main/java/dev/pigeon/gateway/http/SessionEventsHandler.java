package dev.pigeon.gateway.http;

import dev.pigeon.gateway.session.ClientSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Tells a session streamed over an HTTP response (SSE, long-poll) when its channel drains or closes. */
public final class SessionEventsHandler extends ChannelInboundHandlerAdapter {
    private final ClientSession session;

    public SessionEventsHandler(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.onWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onTransportClosed();
        ctx.fireChannelInactive();
    }
}
