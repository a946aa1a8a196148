package dev.pigeon.gateway.http;

/** Serves one route. May answer later (from another thread's callback) through the exchange. */
@FunctionalInterface
public interface Endpoint {
    void handle(HttpExchange exchange) throws Exception;
}
