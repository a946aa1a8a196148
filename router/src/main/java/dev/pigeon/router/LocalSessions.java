package dev.pigeon.router;

import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sessions attached to this node: the table that routes each delivery arriving on the node bus
 * to the sinks of its user, and the heartbeat that keeps their presence entries alive.
 */
final class LocalSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalSessions.class);

    private final String nodeId;
    private final Presence presence;
    private final StoreCalls calls;
    private final Clock clock;
    private final ConcurrentMap<String, Set<Registration>> byUser = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    private final ScheduledExecutorService heartbeat;

    LocalSessions(String nodeId, Presence presence, NodeBus bus, StoreCalls calls, Clock clock,
                  Duration heartbeatInterval, MeterRegistry registry) {
        this.nodeId = nodeId;
        this.presence = presence;
        this.calls = calls;
        this.clock = clock;
        this.subscription = bus.subscribe(nodeId, this::dispatch);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pigeon-heartbeat-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        long period = heartbeatInterval.toMillis();
        heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        Gauge.builder("pigeon.router.sessions", byUser, table -> table.values().stream().mapToInt(Set::size).sum())
                .description("sessions attached to this node")
                .tag("node", nodeId)
                .register(registry);
    }

    CompletableFuture<SessionRegistration> connect(SessionInfo session, DeliverySink sink) {
        requireValid(session);
        Registration registration = new Registration(session.seenAt(clock.millis()), sink);
        // enter the local table first, so nothing published once presence names this node is missed
        byUser.compute(session.user(), (user, sinks) -> {
            Set<Registration> target = sinks != null ? sinks : ConcurrentHashMap.newKeySet();
            target.add(registration);
            return target;
        });
        return calls.call(() -> presence.register(registration.info))
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        detach(registration);
                        throw Failures.toProtocol(failure);
                    }
                    return registration;
                });
    }

    /** Hands a delivery that arrived for this node to every local session of its user. */
    void dispatch(Delivery delivery) {
        Set<Registration> sinks = byUser.get(delivery.user());
        if (sinks == null) {
            return;
        }
        for (Registration registration : sinks) {
            try {
                registration.sink.deliver(delivery);
            } catch (RuntimeException e) {
                log.warn("session {} failed to take a delivery", registration.info.session(), e);
            }
        }
    }

    /** Refreshes the presence of every local session in one call. */
    void beat() {
        List<SessionInfo> sessions = byUser.values().stream().flatMap(Set::stream).map(r -> r.info).toList();
        if (sessions.isEmpty()) {
            return;
        }
        calls.call(() -> presence.refresh(sessions)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("presence heartbeat of {} sessions failed", sessions.size(), Failures.unwrap(failure));
            }
        });
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("closing the node bus subscription of {} failed", nodeId, e);
        }
    }

    private void detach(Registration registration) {
        byUser.computeIfPresent(registration.info.user(), (user, sinks) -> {
            sinks.remove(registration);
            return sinks.isEmpty() ? null : sinks;
        });
    }

    private void requireValid(SessionInfo session) {
        if (session.session() == null || session.session().isEmpty() || !UserId.isValid(session.user())
                || session.region() == null || session.transport() == null || session.device() == null) {
            throw ProtocolException.badRequest("incomplete session");
        }
        if (!nodeId.equals(session.node())) {
            throw ProtocolException.badRequest("session belongs to node " + session.node() + ", not " + nodeId);
        }
    }

    private final class Registration implements SessionRegistration {
        private final DeliverySink sink;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile SessionInfo info;

        Registration(SessionInfo info, DeliverySink sink) {
            this.info = info;
            this.sink = sink;
        }

        /** Records last_seen; the next heartbeat carries it to presence. */
        @Override
        public void touch() {
            info = info.seenAt(clock.millis());
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                detach(this);
                calls.call(() -> presence.unregister(info)).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("unregistering session {} failed; it expires from presence", info.session(),
                                Failures.unwrap(failure));
                    }
                });
            }
        }
    }
}
