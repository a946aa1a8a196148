package dev.pigeon.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's meters: live sessions by transport, frames in and out by transport and type, errors
 * by code, slow-consumer disconnects and HTTP requests by route and status. Counters are looked up
 * once per tag combination and cached, since frames are counted on the hot path. Thread-safe.
 */
public final class GatewayMetrics {
    public static final String[] TRANSPORTS = {"ws", "sse", "poll"};

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String transport : TRANSPORTS) {
            AtomicInteger count = new AtomicInteger();
            sessions.put(transport, count);
            Gauge.builder("pigeon.gateway.sessions", count, AtomicInteger::get)
                    .description("live client sessions on this node")
                    .tag("transport", transport)
                    .register(registry);
        }
    }

    public void sessionOpened(String transport) {
        sessions.get(transport).incrementAndGet();
    }

    public void sessionClosed(String transport) {
        sessions.get(transport).decrementAndGet();
    }

    public void frameIn(String transport, String type) {
        counter("pigeon.gateway.frames.in", "frames received from clients", "transport", transport, "type", type)
                .increment();
    }

    public void frameOut(String transport, String type) {
        counter("pigeon.gateway.frames.out", "frames sent to clients", "transport", transport, "type", type)
                .increment();
    }

    public void error(String code) {
        counter("pigeon.gateway.errors", "errors answered to clients", "code", code, null, null).increment();
    }

    public void slowConsumer(String transport) {
        counter("pigeon.gateway.slow.consumer.disconnects", "sessions closed because the client read too slowly",
                "transport", transport, null, null).increment();
    }

    public void httpRequest(String route, int status) {
        counter("pigeon.gateway.http.requests", "HTTP requests answered", "route", route, "status",
                Integer.toString(status)).increment();
    }

    private Counter counter(String name, String description, String k1, String v1, String k2, String v2) {
        String key = name + '|' + v1 + '|' + v2;
        Counter counter = counters.get(key);
        if (counter == null) {
            Counter.Builder builder = Counter.builder(name).description(description).tag(k1, v1);
            if (k2 != null) {
                builder.tag(k2, v2);
            }
            counter = counters.computeIfAbsent(key, k -> builder.register(registry));
        }
        return counter;
    }
}
