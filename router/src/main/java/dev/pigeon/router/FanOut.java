package dev.pigeon.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Carries deliveries to the nodes that hold the recipients' sessions: one batched presence lookup
 * for all recipients, then one publish per (node, recipient).
 */
final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);

    private final Presence presence;
    private final NodeBus bus;
    private final StoreCalls calls;
    private final MeterRegistry registry;
    private final Counter failures;

    FanOut(Presence presence, NodeBus bus, StoreCalls calls, MeterRegistry registry) {
        this.presence = presence;
        this.bus = bus;
        this.calls = calls;
        this.registry = registry;
        this.failures = Counter.builder("pigeon.router.fanout.failures")
                .description("fan-outs abandoned because presence could not be read")
                .register(registry);
    }

    /**
     * Publishes {@code deliveryFor(user)} to each node holding a session of each user. Completes with
     * the number of publishes; fails when presence cannot be read or the bus refuses (logged and counted in
     * {@code pigeon.router.fanout.failures}).
     */
    CompletableFuture<Integer> publish(Collection<String> users, Function<String, Delivery> deliveryFor, String kind) {
        if (users.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        Counter published = Counter.builder("pigeon.router.deliveries")
                .description("deliveries published to nodes")
                .tag("kind", kind)
                .register(registry);
        return calls.call(() -> presence.sessions(users)).thenApply(sessionsByUser -> {
            int count = 0;
            for (String user : users) {
                Set<String> nodes = new LinkedHashSet<>();
                sessionsByUser.getOrDefault(user, List.of()).forEach(session -> nodes.add(session.node()));
                if (nodes.isEmpty()) {
                    continue;
                }
                Delivery delivery = deliveryFor.apply(user);
                for (String node : nodes) {
                    published.increment();
                    bus.publish(node, delivery);
                    count++;
                }
            }
            return count;
        }).whenComplete((count, failure) -> {
            if (failure != null) {
                failures.increment();
                log.warn("fan-out of a {} to {} users failed; sessions catch up from the inbox", kind, users.size(),
                        Failures.unwrap(failure));
            }
        });
    }
}
