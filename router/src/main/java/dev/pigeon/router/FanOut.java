package dev.pigeon.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries deliveries to the sessions of their recipients: straight to this node's own sessions,
 * then, after one batched presence lookup for all recipients, one bus publish per (other node,
 * recipient). A presence lookup that fails or hangs (Redis away) costs only the other nodes' live
 * deliveries; their sessions catch up from the inbox. With several regions, every delivery is
 * also handed to the other regions (their nodes hold sessions of away users), which publish it to
 * their own nodes only.
 */
final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);

    private final Presence presence;
    private final NodeBus bus;
    private final LocalSessions local;
    private final StoreCalls calls;
    private final MeterRegistry registry;
    private final Counter failures;
    private final Consumer<List<Delivery>> otherRegions;

    FanOut(Presence presence, NodeBus bus, LocalSessions local, StoreCalls calls, MeterRegistry registry,
           Consumer<List<Delivery>> otherRegions) {
        this.otherRegions = otherRegions;
        this.presence = presence;
        this.bus = bus;
        this.local = local;
        this.calls = calls;
        this.registry = registry;
        this.failures = Counter.builder("pigeon.router.fanout.failures")
                .description("fan-outs that reached no other node because presence could not be read")
                .register(registry);
    }

    /**
     * Hands {@code deliveryFor(user)} to this node's sessions of each user at once (never blocking),
     * and publishes it to each other node holding a session of that user. Completes with the number
     * of nodes reached, summed over users; fails when presence cannot be read (logged and counted in
     * {@code pigeon.router.fanout.failures}), this node's sessions having had their deliveries anyway.
     */
    CompletableFuture<Integer> publish(Collection<String> users, Function<String, Delivery> deliveryFor, String kind) {
        List<Delivery> deliveries = new ArrayList<>(users.size());
        users.forEach(user -> deliveries.add(deliveryFor.apply(user)));
        if (!deliveries.isEmpty()) {
            otherRegions.accept(deliveries);
        }
        return publishInRegion(users, deliveryFor, kind);
    }

    /** As {@link #publish}, to this region's nodes only: for deliveries another region handed over. */
    CompletableFuture<Integer> publishInRegion(Collection<String> users, Function<String, Delivery> deliveryFor,
                                               String kind) {
        if (users.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        Counter published = Counter.builder("pigeon.router.deliveries")
                .description("deliveries handed to nodes, this one included")
                .tag("kind", kind)
                .register(registry);
        int reachedHere = 0;
        for (String user : users) {
            if (local.holds(user)) {
                local.deliverHere(deliveryFor.apply(user));
                published.increment();
                reachedHere++;
            }
        }
        int here = reachedHere;
        return calls.call(() -> presence.sessions(users)).thenApply(sessionsByUser -> {
            int count = here;
            for (String user : users) {
                Set<String> nodes = new LinkedHashSet<>();
                sessionsByUser.getOrDefault(user, List.of()).forEach(session -> nodes.add(session.node()));
                // this node's sessions had theirs above; over the bus they would get it twice
                nodes.remove(local.nodeId());
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
                // no stack trace: while Redis is away this happens on every send
                log.warn("fan-out of a {} to the other nodes of {} users failed ({}); sessions there catch up from the inbox",
                        kind, users.size(), Failures.unwrap(failure).toString());
            }
        });
    }
}
