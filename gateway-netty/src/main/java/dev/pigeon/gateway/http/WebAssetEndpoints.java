package dev.pigeon.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/** {@code GET} routes for the {@link WebAsset}s a node serves. */
public final class WebAssetEndpoints {
    private final List<WebAsset> assets;

    /** The assets this node serves: those for every node, and the dev-only ones when {@code devTokens}. */
    public WebAssetEndpoints(List<WebAsset> assets, boolean devTokens) {
        this.assets = assets.stream()
                .filter(asset -> devTokens || asset.served() == WebAsset.Served.ALWAYS)
                .toList();
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        for (WebAsset asset : assets) {
            routes.route(HttpMethod.GET, asset.path(), exchange -> serve(exchange, asset));
        }
        return routes;
    }

    private static void serve(HttpExchange exchange, WebAsset asset) {
        FullHttpResponse response = new DefaultFullHttpResponse(exchange.request().protocolVersion(),
                HttpResponseStatus.OK, Unpooled.wrappedBuffer(asset.content()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
                // revalidated on every load, so that a page never runs a client older than its node
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set("X-Content-Type-Options", "nosniff");
        exchange.respond(response);
    }
}
