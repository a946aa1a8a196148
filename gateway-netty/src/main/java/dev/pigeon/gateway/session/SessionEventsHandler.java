package dev.pigeon.gateway.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/** Tells a session when its channel drains or closes, whatever the transport carrying it. */
public final class SessionEventsHandler extends ChannelInboundHandlerAdapter {
    private static final String NAME = "session-events";

    private final ClientSession session;

    private SessionEventsHandler(ClientSession session) {
        this.session = session;
    }

    /** Appends the handler for {@code session} to the end of {@code pipeline}. */
    public static void attach(ChannelPipeline pipeline, ClientSession session) {
        pipeline.addLast(NAME, new SessionEventsHandler(session));
    }

    /** Takes the handler out again, if it is there: for a session that ends on a connection that lives on. */
    public static void detach(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) != null) {
            pipeline.remove(NAME);
        }
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
