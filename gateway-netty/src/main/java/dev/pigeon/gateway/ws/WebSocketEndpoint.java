package dev.pigeon.gateway.ws;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.HttpPipeline;
import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionEventsHandler;
import dev.pigeon.gateway.session.SessionServices;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

import java.time.Duration;

/**
 * {@code GET /v1/ws?since=N}: authenticates and admits the session while the request is still
 * HTTP (so refusals are plain 400, 401, 403 and 429 answers), then turns the connection into a
 * WebSocket carrying the session.
 */
public final class WebSocketEndpoint {
    private final SessionServices services;
    private final WebSocketFraming.Settings framing;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final FrameCodec json;
    private final FrameCodec proto;
    private final int pageSize;

    public WebSocketEndpoint(SessionServices services, WebSocketFraming.Settings framing, Duration pingInterval,
                             Duration idleTimeout, FrameCodec json, FrameCodec proto, int pageSize) {
        this.services = services;
        this.framing = framing;
        this.pingInterval = pingInterval;
        this.idleTimeout = idleTimeout;
        this.json = json;
        this.proto = proto;
        this.pageSize = pageSize;
    }

    public void handle(HttpExchange exchange) {
        Principal principal = exchange.inboxOwner();
        Long since = exchange.queryLong("since");
        requireUpgrade(exchange.headers());
        ChannelHandlerContext ctx = exchange.ctx();
        WebSocketSessionHandler handler = new WebSocketSessionHandler(ctx.channel(), framing, pingInterval,
                idleTimeout, json, proto);
        ClientSession session = new ClientSession(services, principal, handler, since, pageSize);
        handler.bind(session);
        session.admitOrRefuse();
        ChannelPipeline pipeline = ctx.pipeline();
        WebSocketFraming.install(pipeline, framing);
        // ahead of the session handler, whose exceptionCaught then closes the channel for both
        SessionEventsHandler.attach(pipeline, session);
        pipeline.addLast("ws-session", handler);
        exchange.handOver();
        ctx.fireChannelRead(exchange.request());
        HttpPipeline.leaveHttp(pipeline);
    }

    /** Refuses, as HTTP, a request that is not a WebSocket opening handshake Netty could complete. */
    private static void requireUpgrade(HttpHeaders headers) {
        boolean upgrade = headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (!upgrade) {
            throw ProtocolException.badRequest("GET /v1/ws takes a WebSocket upgrade request");
        }
    }
}
