package dev.pigeon.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.ProtocolJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.UncheckedIOException;

/**
 * Aggregates request bodies up to a limit, and answers a larger one with the protocol's 413
 * {@code too_large} error (Netty's own answer has no body). As Netty does, the connection stays
 * open when the client announced the size and keeps it alive (the body is skipped), and is closed
 * when the body was already streaming in.
 */
public final class BodyLimitAggregator extends HttpObjectAggregator {
    private final int maxBytes;
    private final RouteTable routes;
    private final GatewayMetrics metrics;

    public BodyLimitAggregator(int maxBytes, RouteTable routes, GatewayMetrics metrics) {
        super(maxBytes);
        this.maxBytes = maxBytes;
        this.routes = routes;
        this.metrics = metrics;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean close = oversized instanceof FullHttpMessage
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(errorJson()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        metrics.error(ErrorCode.TOO_LARGE.wireName());
        metrics.httpRequest(routes.patternOf(new QueryStringDecoder(request.uri()).path()),
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code());
        ChannelFuture written = ctx.writeAndFlush(response);
        written.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private byte[] errorJson() {
        try {
            return ProtocolJson.mapper().writeValueAsBytes(
                    ProtocolException.tooLarge("the request body exceeds " + maxBytes + " bytes").toFrame());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
