package dev.pigeon.gateway.http;

import dev.pigeon.protocol.ProtocolException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code GET /healthz} (the process answers) and {@code GET /readyz} (storage and router reachable). */
public final class HealthEndpoints {
    private final Supplier<CompletionStage<Boolean>> readiness;
    private final BooleanSupplier draining;

    public HealthEndpoints(Supplier<CompletionStage<Boolean>> readiness, BooleanSupplier draining) {
        this.readiness = readiness;
        this.draining = draining;
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes
                .route(HttpMethod.GET, "/healthz", this::health)
                .route(HttpMethod.GET, "/readyz", this::ready);
    }

    private void health(HttpExchange exchange) {
        exchange.respondJson(HttpResponseStatus.OK, new Status("ok"));
    }

    private void ready(HttpExchange exchange) {
        if (draining.getAsBoolean()) {
            exchange.fail(ProtocolException.unavailable("shutting down"));
            return;
        }
        exchange.answer(readiness.get(), null, ready -> {
            if (Boolean.TRUE.equals(ready)) {
                exchange.respondJson(HttpResponseStatus.OK, new Status("ready"));
            } else {
                exchange.fail(ProtocolException.unavailable("not ready: storage or router unreachable"));
            }
        });
    }

    record Status(String status) {
    }
}
