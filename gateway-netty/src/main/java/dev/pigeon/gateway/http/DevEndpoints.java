package dev.pigeon.gateway.http;

import dev.pigeon.gateway.auth.TokenIssuer;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;

/**
 * The embedded demo's convenience, routed only when dev tokens are enabled: {@code POST
 * /v1/dev/token?user=<id>} mints a token for anyone. (The demo page is a {@link WebAsset}.)
 */
public final class DevEndpoints {
    private final TokenIssuer issuer;
    private final Duration lifetime;

    public DevEndpoints(TokenIssuer issuer, Duration lifetime) {
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes.route(HttpMethod.POST, "/v1/dev/token", this::token);
    }

    private void token(HttpExchange exchange) {
        String user = exchange.query("user");
        if (!UserId.isValid(user)) {
            throw ProtocolException.badRequest("user must be a valid user id");
        }
        exchange.respondJson(HttpResponseStatus.OK, new Token(issuer.issue(user, lifetime)));
    }

    record Token(String token) {
    }
}
