package dev.pigeon.gateway.http;

import dev.pigeon.gateway.auth.TokenVerifier;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebAssetEndpointsTest {
    private static final String JS = "text/javascript; charset=utf-8";
    private static final List<WebAsset> ASSETS = List.of(
            new WebAsset("/client.js", JS, "export const x = 1;\n".getBytes(StandardCharsets.UTF_8),
                    WebAsset.Served.ALWAYS),
            new WebAsset("/", "text/html; charset=utf-8", "<!doctype html>".getBytes(StandardCharsets.UTF_8),
                    WebAsset.Served.WITH_DEV_TOKENS));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void servesAnAssetWithoutATokenWithItsTypeAndRevalidation() {
        FullHttpResponse response = get(node(false), "/client.js");
        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(JS);
        assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
        assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("export const x = 1;\n");
        response.release();
    }

    @Test
    void servesTheSameBytesTwice() {
        EmbeddedChannel node = node(false);
        for (int i = 0; i < 2; i++) {
            FullHttpResponse response = get(node, "/client.js");
            assertThat(response.content().readableBytes()).isEqualTo(20);
            response.release();
        }
    }

    @Test
    void devOnlyAssetsAreServedOnlyWithDevTokens() {
        FullHttpResponse without = get(node(false), "/");
        assertThat(without.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        without.release();
        FullHttpResponse with = get(node(true), "/");
        assertThat(with.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(with.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
        with.release();
    }

    @Test
    void otherMethodsAndNeighbouringPathsAreRefused() {
        EmbeddedChannel node = node(true);
        FullHttpResponse post = request(node, HttpMethod.POST, "/client.js");
        assertThat(post.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        post.release();
        for (String path : List.of("/client.js/x", "/client.jsx", "/../client.js", "/%2e%2e/client.js")) {
            FullHttpResponse response = get(node, path);
            assertThat(response.status()).as(path).isIn(HttpResponseStatus.NOT_FOUND, HttpResponseStatus.BAD_REQUEST);
            response.release();
        }
    }

    @Test
    void aPathMustBeAbsolute() {
        assertThatThrownBy(() -> new WebAsset("client.js", JS, new byte[0], WebAsset.Served.ALWAYS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private EmbeddedChannel node(boolean devTokens) {
        RouteTable routes = new WebAssetEndpoints(ASSETS, devTokens).addTo(RouteTable.builder()).build();
        EmbeddedChannel channel = new EmbeddedChannel(new HttpApiHandler(routes,
                new TokenVerifier("a-secret-of-at-least-thirty-two-bytes!!", Clock.systemUTC()),
                new GatewayMetrics(new SimpleMeterRegistry()), exchange -> { }, () -> false));
        channels.add(channel);
        return channel;
    }

    private static FullHttpResponse get(EmbeddedChannel channel, String path) {
        return request(channel, HttpMethod.GET, path);
    }

    private static FullHttpResponse request(EmbeddedChannel channel, HttpMethod method, String path) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path));
        return channel.readOutbound();
    }
}
