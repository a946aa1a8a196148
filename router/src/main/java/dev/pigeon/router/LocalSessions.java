package dev.pigeon.router;

import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sessions attached to this node: the table that routes each delivery to the sinks of its user,
 * whether it arrives on the node bus or comes from a send on this very node (handed over directly,
 * so that it needs neither presence nor the bus), and the heartbeat that keeps their presence
 * entries alive.
 *
 * <p>Deliveries sent to this node while its bus subscription was away are lost, and so are those
 * sent while presence did not name it (Redis came back empty and this node has not written its
 * sessions back yet). So whenever the bus confirms the subscription, this node waits until presence
 * names it again for its users, then tells every session to catch up from its inbox: from then on
 * deliveries arrive, and the catch-up covers what was lost before.
 */
final class LocalSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalSessions.class);
    /** Deliveries from this node's own sends that may wait before new ones are dropped. */
    private static final int LOCAL_CAPACITY = 100_000;
    /** How often presence is asked again whether it names this node, after the bus came back. */
    private static final Duration PRESENCE_RECHECK = Duration.ofMillis(500);
    /** Presence checks before the sessions catch up anyway. */
    private static final int MAX_PRESENCE_CHECKS = 120;
    /** Users whose entries a presence check looks for: a node writes all its sessions back at once. */
    private static final int PRESENCE_SAMPLE = 16;

    private final String nodeId;
    private final Presence presence;
    private final StoreCalls calls;
    private final Clock clock;
    private final ConcurrentMap<String, Set<Registration>> byUser = new ConcurrentHashMap<>();
    private final ExecutorService deliveryThread;
    private final SerialDispatcher<Delivery> localDeliveries;
    private final Counter localDropped;
    private final Counter catchUps;
    /** Numbers each wait for presence after the bus came back; a newer one supersedes the older. */
    private final AtomicLong presenceWaits = new AtomicLong();
    private final AutoCloseable subscription;
    private final ScheduledExecutorService heartbeat;

    LocalSessions(String nodeId, Presence presence, NodeBus bus, StoreCalls calls, Clock clock,
                  Duration heartbeatInterval, MeterRegistry registry) {
        this.nodeId = nodeId;
        this.presence = presence;
        this.calls = calls;
        this.clock = clock;
        // one thread, so this node's own deliveries reach each session in the order they were sent
        this.deliveryThread = Executors.newSingleThreadExecutor(daemonThreads("pigeon-deliver-" + nodeId));
        this.localDeliveries = new SerialDispatcher<>(deliveryThread, this::dispatch, LOCAL_CAPACITY);
        this.localDropped = Counter.builder("pigeon.router.local.dropped")
                .description("deliveries to this node's own sessions dropped because too many were waiting; "
                        + "the sessions fill the gap from their inboxes")
                .tag("node", nodeId)
                .register(registry);
        this.catchUps = Counter.builder("pigeon.router.catchups")
                .description("times this node's sessions were told to catch up from their inboxes once its bus "
                        + "subscription was (re)established and presence named it again")
                .tag("node", nodeId)
                .register(registry);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemonThreads("pigeon-heartbeat-" + nodeId));
        this.subscription = bus.subscribe(nodeId, this::dispatch, this::busListening);
        long period = heartbeatInterval.toMillis();
        heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        Gauge.builder("pigeon.router.sessions", byUser, table -> table.values().stream().mapToInt(Set::size).sum())
                .description("sessions attached to this node")
                .tag("node", nodeId)
                .register(registry);
    }

    String nodeId() {
        return nodeId;
    }

    /** True while {@code user} has a session attached here. */
    boolean holds(String user) {
        return byUser.containsKey(user);
    }

    /**
     * Queues a delivery for this node's sessions of its user, without presence or the bus. Never
     * blocks; the sessions get it on this node's delivery thread, in the order of these calls.
     */
    void deliverHere(Delivery delivery) {
        if (!localDeliveries.offer(delivery)) {
            localDropped.increment();
            log.debug("too many deliveries wait for the sessions of node {}; dropped one for {}", nodeId,
                    delivery.user());
        }
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

    /** The bus subscription is (again) in place: once presence names this node too, the sessions catch up. */
    private void busListening() {
        long wait = presenceWaits.incrementAndGet();
        checkPresence(wait, 1);
    }

    /**
     * Looks for a sample of this node's users in presence; once each is named with a session here,
     * other nodes find them, and every session catches up. Otherwise looks again shortly.
     */
    private void checkPresence(long wait, int check) {
        if (wait != presenceWaits.get()) {
            return;
        }
        List<String> sample = byUser.keySet().stream().limit(PRESENCE_SAMPLE).toList();
        if (sample.isEmpty()) {
            return; // no session missed anything; new ones start from the inbox head
        }
        calls.call(() -> presence.sessions(sample)).whenComplete((found, failure) -> {
            if (failure == null && namesThisNode(found, sample)) {
                catchUpEverySession();
            } else if (check >= MAX_PRESENCE_CHECKS) {
                log.warn("presence still does not name node {} for its users; its sessions catch up anyway", nodeId);
                catchUpEverySession();
            } else {
                later(() -> checkPresence(wait, check + 1));
            }
        });
    }

    private boolean namesThisNode(Map<String, List<SessionInfo>> found, List<String> users) {
        return users.stream().allMatch(user -> found.getOrDefault(user, List.of()).stream()
                .anyMatch(session -> nodeId.equals(session.node())));
    }

    private void later(Runnable task) {
        try {
            heartbeat.schedule(task, PRESENCE_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("node {} is closing; no further presence check", nodeId);
        }
    }

    /** Every session reads its inbox head and fills up to it; runs on the delivery thread. */
    private void catchUpEverySession() {
        catchUps.increment();
        try {
            deliveryThread.execute(() -> byUser.keySet().forEach(user -> dispatch(new Delivery.CatchUp(user))));
        } catch (RejectedExecutionException e) {
            log.debug("node {} is closing; no catch-up", nodeId);
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
        localDeliveries.close();
        deliveryThread.shutdown();
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

    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
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
