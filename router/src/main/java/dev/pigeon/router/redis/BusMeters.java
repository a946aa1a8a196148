package dev.pigeon.router.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the Redis node bus counts: {@code pigeon.bus.published} by outcome, and what arrives. */
final class BusMeters {
    /** Published and received by at least one node. */
    final Counter heard;
    /** Published, but no node listens on that channel: the delivery is gone, as the bus allows. */
    final Counter unheard;
    /** Redis refused or could not be reached. */
    final Counter failed;
    /** Never sent: too many were waiting for a slow or absent Redis. */
    final Counter dropped;
    final Counter received;
    final Counter malformed;

    BusMeters(MeterRegistry registry) {
        heard = published(registry, "heard");
        unheard = published(registry, "unheard");
        failed = published(registry, "failed");
        dropped = published(registry, "dropped");
        received = Counter.builder("pigeon.bus.received")
                .description("deliveries received from the node bus and handed to local sessions")
                .register(registry);
        malformed = Counter.builder("pigeon.bus.malformed")
                .description("node bus payloads that could not be read, dropped")
                .register(registry);
    }

    private static Counter published(MeterRegistry registry, String outcome) {
        return Counter.builder("pigeon.bus.published")
                .description("deliveries handed to the node bus, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
