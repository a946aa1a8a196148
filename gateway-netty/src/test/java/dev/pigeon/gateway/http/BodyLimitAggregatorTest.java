package dev.pigeon.gateway.http;

import dev.pigeon.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodyLimitAggregatorTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EmbeddedChannel channel = new EmbeddedChannel(new BodyLimitAggregator(16,
            RouteTable.builder().route(HttpMethod.POST, "/v1/send", exchange -> { }).build(),
            new GatewayMetrics(registry)));

    @Test
    void anAnnouncedOversizedBodyGetsTheProtocolErrorAndTheConnectionStaysOpen() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/send");
        HttpUtil.setContentLength(request, 17);
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(response.content().toString(StandardCharsets.UTF_8))
                .startsWith("{\"type\":\"error\",\"code\":\"too_large\"");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[17])));
        assertThat((Object) channel.readInbound()).as("the oversized body is skipped").isNull();
        assertThat(registry.counter("pigeon.gateway.http.requests", "route", "/v1/send", "status", "413").count())
                .isEqualTo(1);
        response.release();
    }

    @Test
    void aStreamedBodyThatGrowsTooLargeClosesTheConnection() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/send");
        HttpUtil.setTransferEncodingChunked(request, true);
        channel.writeInbound(request);
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])));
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        response.release();
    }

    @Test
    void bodiesWithinTheLimitPass() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/send");
        HttpUtil.setContentLength(request, 16);
        channel.writeInbound(request);
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[16])));
        FullHttpRequest aggregated = channel.readInbound();
        assertThat(aggregated.content().readableBytes()).isEqualTo(16);
        aggregated.release();
    }
}
