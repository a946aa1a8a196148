package dev.pigeon.gateway.http;

import dev.pigeon.gateway.auth.TokenVerifier;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Routes the requests of one HTTP connection to endpoints, one at a time: a request pipelined behind
 * one still being answered waits for it, so answers leave in request order.
 */
public final class HttpApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);
    /** Requests a client may pipeline behind the one in hand before the connection is closed. */
    private static final int MAX_WAITING = 16;

    private final RouteTable routes;
    private final TokenVerifier tokens;
    private final GatewayMetrics metrics;
    private final Consumer<HttpExchange> gate;
    private final BooleanSupplier draining;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private HttpExchange current;
    private boolean closing;

    /**
     * @param gate     checks every request before it is routed (throws a {@link ProtocolException} to refuse)
     * @param draining true once the node is shutting down: answers then close their connection
     */
    public HttpApiHandler(RouteTable routes, TokenVerifier tokens, GatewayMetrics metrics,
                          Consumer<HttpExchange> gate, BooleanSupplier draining) {
        this.routes = routes;
        this.tokens = tokens;
        this.metrics = metrics;
        this.gate = gate;
        this.draining = draining;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (current != null) {
            if (waiting.size() >= MAX_WAITING) {
                request.release();
                ctx.close();
            } else {
                waiting.add(request);
            }
            return;
        }
        serve(request);
    }

    private void serve(FullHttpRequest request) {
        HttpExchange exchange = new HttpExchange(ctx, request, tokens, metrics, this);
        current = exchange;
        if (!request.decoderResult().isSuccess()) {
            closing = true; // the rest of the stream cannot be trusted to be framed right
            exchange.fail(ProtocolException.badRequest("malformed HTTP request"));
            return;
        }
        try {
            gate.accept(exchange);
            route(exchange);
        } catch (ProtocolException e) {
            exchange.fail(e);
        } catch (Exception e) {
            exchange.fail(e, null);
        }
    }

    private void route(HttpExchange exchange) throws Exception {
        HttpMethod method = exchange.method();
        RouteTable.Match match = routes.match(method, exchange.path());
        if (match instanceof RouteTable.Found found) {
            exchange.routed(found.pattern(), found.params());
            found.endpoint().handle(exchange);
        } else if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
            exchange.routed(notAllowed.pattern(), Map.of());
            String allow = notAllowed.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            if (HttpMethod.OPTIONS.equals(method)) { // not a CORS preflight (CorsHandler answers those)
                FullHttpResponse response = new DefaultFullHttpResponse(exchange.request().protocolVersion(),
                        HttpResponseStatus.NO_CONTENT);
                response.headers().set(HttpHeaderNames.ALLOW, allow + ", OPTIONS");
                exchange.respond(response);
            } else {
                FullHttpResponse response = exchange.errorResponse(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        new Frame.Error(ErrorCode.BAD_REQUEST.wireName(), method.name() + " is not allowed here; use "
                                + allow, null), ErrorCode.BAD_REQUEST);
                response.headers().set(HttpHeaderNames.ALLOW, allow);
                exchange.respond(response);
            }
        } else {
            exchange.fail(ProtocolException.notFound("no such path: " + exchange.path()));
        }
    }

    /** An exchange was answered; serves the next pipelined request. */
    void exchangeDone(HttpExchange exchange, boolean releaseRequest) {
        if (releaseRequest) {
            ReferenceCountUtil.release(exchange.request());
        }
        if (current != exchange) {
            return;
        }
        current = null;
        if (!releaseRequest) {
            releaseWaiting(); // the connection is no longer HTTP
            return;
        }
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            if (ctx.channel().isActive() && !closing()) {
                serve(next);
            } else {
                next.release();
            }
        }
    }

    /** True when the connection closes after the answer in hand. */
    boolean closing() {
        return closing || draining.getAsBoolean();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ConnectionEvent.DRAIN) {
            closing = true;
            if (current == null) {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing HTTP connection {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private void releaseWaiting() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
    }
}
