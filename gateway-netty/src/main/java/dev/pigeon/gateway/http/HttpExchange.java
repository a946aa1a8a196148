package dev.pigeon.gateway.http;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.gateway.auth.TokenVerifier;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.gateway.session.ProtocolErrors;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.ProtocolJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One HTTP request and its answer. Answers exactly once: a full response, a stream (SSE) ended
 * later, or a hand-over of the connection (WebSocket). May be answered from any thread: the answer
 * is written on the channel's event loop. Owns the request and releases it when answered.
 */
public final class HttpExchange {
    private static final String BEARER = "bearer ";

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder uri;
    private final TokenVerifier tokens;
    private final GatewayMetrics metrics;
    private final HttpApiHandler connection;
    private String route = "unmatched";
    private Map<String, String> params = Map.of();
    private Principal principal;
    private boolean answered;
    private boolean streaming;

    HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, TokenVerifier tokens, GatewayMetrics metrics,
                 HttpApiHandler connection) {
        this.ctx = ctx;
        this.request = request;
        this.uri = new QueryStringDecoder(request.uri());
        this.tokens = tokens;
        this.metrics = metrics;
        this.connection = connection;
    }

    void routed(String pattern, Map<String, String> pathParams) {
        this.route = pattern;
        this.params = pathParams;
    }

    public ChannelHandlerContext ctx() {
        return ctx;
    }

    public FullHttpRequest request() {
        return request;
    }

    public HttpMethod method() {
        return request.method();
    }

    public String path() {
        return uri.path();
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** A {@code {name}} segment of the matched route, percent-decoded. */
    public String pathParam(String name) {
        return params.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a query parameter, in order. */
    public List<String> queryAll(String name) {
        return uri.parameters().getOrDefault(name, List.of());
    }

    /** A non-negative integer query parameter, or null when absent; anything else is {@code bad_request}. */
    public Long queryLong(String name) {
        return parseNonNegative(name, query(name));
    }

    /** Parses a non-negative integer request value named {@code name}; null stays null. */
    public static Long parseNonNegative(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0 && !value.startsWith("+")) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProtocolException.badRequest(name + " must be a non-negative integer");
    }

    /** A query parameter that must fit an int, or null when absent. */
    public Integer queryInt(String name) {
        Long value = queryLong(name);
        if (value == null) {
            return null;
        }
        if (value > Integer.MAX_VALUE) {
            throw ProtocolException.badRequest(name + " is too large");
        }
        return value.intValue();
    }

    /**
     * The principal of the request's token ({@code Authorization: Bearer} or query {@code token}),
     * checked now; {@code unauthorized} without a valid one.
     */
    public Principal principal() {
        if (principal == null) {
            principal = tokens.verify(token());
        }
        return principal;
    }

    /**
     * The principal whose inbox this request reads: the token's user. A {@code user} parameter naming
     * anyone else is {@code forbidden}: a user reads only their own inbox.
     */
    public Principal inboxOwner() {
        Principal owner = principal();
        String named = query("user");
        if (named != null && !named.equals(owner.user())) {
            throw ProtocolException.forbidden("not your inbox");
        }
        return owner;
    }

    private String token() {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        return query("token");
    }

    /** The request body; empty when there is none. */
    public byte[] body() {
        ByteBuf content = request.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        return bytes;
    }

    /** Answers when {@code stage} completes: {@code onSuccess} with its value, or the error it failed with. */
    public <T> void answer(CompletionStage<T> stage, String ref, Consumer<T> onSuccess) {
        stage.whenComplete((value, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                fail(failure, ref);
                return;
            }
            try {
                onSuccess.accept(value);
            } catch (RuntimeException e) {
                fail(e, ref);
            }
        }));
    }

    public void respondJson(HttpResponseStatus status, Object value) {
        respond(jsonResponse(status, value));
    }

    /** A response whose body is {@code value} as JSON, written straight into a pooled buffer. */
    public FullHttpResponse jsonResponse(HttpResponseStatus status, Object value) {
        ByteBuf body = ctx.alloc().buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            ProtocolJson.mapper().writeValue((OutputStream) out, value);
        } catch (IOException e) {
            body.release();
            throw new UncheckedIOException(e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }

    public void respondEmpty(HttpResponseStatus status) {
        respond(status, Unpooled.EMPTY_BUFFER, null);
    }

    /** Answers with the PROTOCOL error for {@code failure}, carrying {@code ref} unless it has its own. */
    public void fail(Throwable failure, String ref) {
        ProtocolException error = ProtocolErrors.from(failure);
        if (error.ref() == null && ref != null) {
            error = error.withRef(ref);
        }
        fail(error);
    }

    public void fail(ProtocolException error) {
        failWithStatus(HttpResponseStatus.valueOf(error.code().httpStatus()), error.toFrame(), error.code());
    }

    /** An error frame with a status of its own (405 has no error code of its own). */
    public void failWithStatus(HttpResponseStatus status, Frame.Error error, ErrorCode code) {
        respond(errorResponse(status, error, code));
    }

    /** The response for an error frame, counted in the error metrics. */
    public FullHttpResponse errorResponse(HttpResponseStatus status, Frame.Error error, ErrorCode code) {
        metrics.error(code.wireName());
        return jsonResponse(status, error);
    }

    public void respond(HttpResponseStatus status, ByteBuf body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, body);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        respond(response);
    }

    /** Writes a complete response; closes the connection after it unless both sides keep it alive. */
    public void respond(FullHttpResponse response) {
        if (!claim(response.status())) {
            response.release();
            return;
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean close = !HttpUtil.isKeepAlive(request) || connection.closing();
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var written = ctx.writeAndFlush(response);
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        finish();
    }

    /** Starts a streamed response (chunked); chunks follow with {@link #ctx()}, and {@link #endStream()} ends it. */
    public void startStream(HttpResponse head) {
        if (!claim(head.status())) {
            return;
        }
        streaming = true;
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
    }

    /** Ends a streamed response; the connection is closed after it (a client reconnects anyway). */
    public void endStream() {
        if (!streaming) {
            return;
        }
        streaming = false;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        finish();
    }

    /** The connection now belongs to another protocol (WebSocket); the request goes with it, unreleased. */
    public void handOver() {
        if (claim(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            connection.exchangeDone(this, false);
        }
    }

    private boolean claim(HttpResponseStatus status) {
        if (answered) {
            return false;
        }
        answered = true;
        metrics.httpRequest(route, status.code());
        return true;
    }

    private void finish() {
        if (!streaming) {
            connection.exchangeDone(this, true);
        }
    }
}
