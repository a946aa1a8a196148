package dev.pigeon.gateway.http;

import dev.pigeon.gateway.auth.TokenIssuer;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The embedded demo's conveniences, routed only when dev tokens are enabled: {@code POST
 * /v1/dev/token?user=<id>} mints a token for anyone, and {@code GET /} serves the demo page.
 */
public final class DevEndpoints {
    /** Where the demo page lives on the classpath. */
    public static final String DEMO_PAGE = "dev/pigeon/gateway/demo/index.html";

    private final TokenIssuer issuer;
    private final Duration lifetime;
    private final byte[] demoPage;

    public DevEndpoints(TokenIssuer issuer, Duration lifetime) {
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.demoPage = load(DEMO_PAGE);
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes
                .route(HttpMethod.POST, "/v1/dev/token", this::token)
                .route(HttpMethod.GET, "/", this::demoPage);
    }

    private void token(HttpExchange exchange) {
        String user = exchange.query("user");
        if (!UserId.isValid(user)) {
            throw ProtocolException.badRequest("user must be a valid user id");
        }
        exchange.respondJson(HttpResponseStatus.OK, new Token(issuer.issue(user, lifetime)));
    }

    private void demoPage(HttpExchange exchange) {
        if (demoPage == null) {
            throw ProtocolException.notFound("the demo page is not installed");
        }
        exchange.respond(HttpResponseStatus.OK, Unpooled.wrappedBuffer(demoPage), "text/html; charset=utf-8");
    }

    private static byte[] load(String resource) {
        try (InputStream in = DevEndpoints.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Token(String token) {
    }
}
