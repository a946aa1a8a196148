package dev.pigeon.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.gateway.auth.TokenIssuer;
import dev.pigeon.gateway.auth.TokenVerifier;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.protocol.ProtocolJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class HttpApiHandlerTest {
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!!";
    private final CompletableFuture<String> slow = new CompletableFuture<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RouteTable routes = RouteTable.builder()
            .route(HttpMethod.GET, "/fast", exchange -> exchange.respondJson(HttpResponseStatus.OK, new Body("fast")))
            .route(HttpMethod.GET, "/slow", exchange -> exchange.answer(slow, null,
                    text -> exchange.respondJson(HttpResponseStatus.OK, new Body(text))))
            .route(HttpMethod.GET, "/me", exchange -> exchange.respondJson(HttpResponseStatus.OK,
                    new Body(exchange.principal().user())))
            .route(HttpMethod.POST, "/fast", exchange -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT))
            .build();
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpApiHandler(routes,
            new TokenVerifier(SECRET, Clock.systemUTC()), new GatewayMetrics(registry), exchange -> { }, () -> false));

    record Body(String value) {
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void routesToTheEndpoint() {
        channel.writeInbound(request(HttpMethod.GET, "/fast?x=1"));
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(json(response).path("value").asText()).isEqualTo("fast");
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(String.valueOf(
                "{\"value\":\"fast\"}".length()));
        assertThat(registry.counter("pigeon.gateway.http.requests", "route", "/fast", "status", "200").count())
                .isEqualTo(1);
        response.release();
    }

    @Test
    void unknownPathsAreNotFoundAndWrongMethods405() {
        channel.writeInbound(request(HttpMethod.GET, "/nowhere"));
        FullHttpResponse notFound = channel.readOutbound();
        assertThat(notFound.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(json(notFound).path("code").asText()).isEqualTo("not_found");
        channel.writeInbound(request(HttpMethod.DELETE, "/fast"));
        FullHttpResponse wrong = channel.readOutbound();
        assertThat(wrong.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(wrong.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, POST");
        assertThat(json(wrong).path("type").asText()).isEqualTo("error");
        channel.writeInbound(request(HttpMethod.OPTIONS, "/fast"));
        FullHttpResponse options = channel.readOutbound();
        assertThat(options.status()).isEqualTo(HttpResponseStatus.NO_CONTENT);
        assertThat(options.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, POST, OPTIONS");
        notFound.release();
        wrong.release();
        options.release();
    }

    @Test
    void authenticatesFromTheHeaderOrTheQuery() {
        String token = new TokenIssuer(SECRET, Clock.systemUTC()).issue("alice", Duration.ofMinutes(1));
        FullHttpRequest withHeader = request(HttpMethod.GET, "/me");
        withHeader.headers().set(HttpHeaderNames.AUTHORIZATION, "bearer " + token);
        channel.writeInbound(withHeader);
        FullHttpResponse byHeader = channel.readOutbound();
        assertThat(json(byHeader).path("value").asText()).isEqualTo("alice");
        channel.writeInbound(request(HttpMethod.GET, "/me?token=" + token));
        FullHttpResponse byQuery = channel.readOutbound();
        assertThat(json(byQuery).path("value").asText()).isEqualTo("alice");
        channel.writeInbound(request(HttpMethod.GET, "/me"));
        FullHttpResponse anonymous = channel.readOutbound();
        assertThat(anonymous.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        byHeader.release();
        byQuery.release();
        anonymous.release();
    }

    @Test
    void pipelinedRequestsWaitForTheAnswerInHand() {
        channel.writeInbound(request(HttpMethod.GET, "/slow"));
        channel.writeInbound(request(HttpMethod.GET, "/fast"));
        assertThat((Object) channel.readOutbound()).isNull();
        slow.complete("slow");
        channel.runPendingTasks();
        FullHttpResponse first = channel.readOutbound();
        FullHttpResponse second = channel.readOutbound();
        assertThat(json(first).path("value").asText()).isEqualTo("slow");
        assertThat(json(second).path("value").asText()).isEqualTo("fast");
        first.release();
        second.release();
    }

    @Test
    void aMalformedRequestIsABadRequestAndClosesTheConnection() {
        FullHttpRequest broken = request(HttpMethod.GET, "/fast");
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad header")));
        channel.writeInbound(broken);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
        response.release();
    }

    @Test
    void http10AndConnectionCloseEndTheConnection() {
        FullHttpRequest close = request(HttpMethod.GET, "/fast");
        close.headers().set(HttpHeaderNames.CONNECTION, "close");
        channel.writeInbound(close);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
        response.release();
    }

    @Test
    void drainClosesAnIdleConnectionAndABusyOneAfterItsAnswer() {
        channel.writeInbound(request(HttpMethod.GET, "/slow"));
        channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        assertThat(channel.isOpen()).isTrue();
        slow.complete("done");
        channel.runPendingTasks();
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
        response.release();
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.buffer(0));
    }

    private static JsonNode json(FullHttpResponse response) {
        try {
            return ProtocolJson.mapper().readTree(response.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
