package dev.pigeon.router.redis;

import dev.pigeon.router.Delivery;
import dev.pigeon.router.DeliveryCodec;
import dev.pigeon.router.NodeBus;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RShardedTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.api.listener.MessageListener;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The node bus over Redis sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}), so it runs on
 * Redis Cluster too: one channel per node, {@code pigeon:<prefix>:bus:<node>}, each on the shard
 * its name hashes to. Deliveries travel as {@link DeliveryCodec} JSON. One more channel,
 * {@code pigeon:<prefix>:bus-groups}, carries the names of groups whose members changed, to every node.
 *
 * <p>{@link #publish} never blocks: it queues, and each destination's queue goes out in order
 * (see {@link OrderedPublisher}); the outcome is counted in {@code pigeon.bus.published}. A
 * subscriber's handler runs on a Redisson thread, in the order the channel carried the
 * deliveries, and must not block. Pub/sub keeps nothing: a delivery to a node that does not
 * listen, or sent while Redis is away, is lost, and sessions catch up from the inbox. When Redis
 * comes back Redisson reconnects and subscribes again by itself, and tells a status listener so; a
 * subscriber learns of it through the {@code onListening} of
 * {@link #subscribe(String, Consumer, Runnable)}.
 */
public final class RedisNodeBus implements NodeBus {
    private static final Logger log = LoggerFactory.getLogger(RedisNodeBus.class);
    /** Deliveries that may wait for Redis per destination node before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 100_000;
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final int capacity;
    private final BusMeters meters;
    private final ConcurrentMap<String, OrderedPublisher> publishers = new ConcurrentHashMap<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    private RedisNodeBus(RedissonClient redis, RedisKeys keys, int capacity, MeterRegistry registry) {
        this.redis = redis;
        this.keys = keys;
        this.capacity = capacity;
        this.meters = new BusMeters(registry);
    }

    /** A bus on {@code redis} (owned by the caller, who closes it after this bus), keys under {@code prefix}. */
    public static RedisNodeBus create(RedissonClient redis, String prefix, MeterRegistry registry) {
        return new RedisNodeBus(Objects.requireNonNull(redis, "redis"), RedisKeys.of(prefix), DEFAULT_CAPACITY,
                Objects.requireNonNull(registry, "registry"));
    }

    @Override
    public void publish(String node, Delivery delivery) {
        publishOn(keys.bus(node), DeliveryCodec.encode(delivery));
    }

    @Override
    public void announceGroupChange(String group) {
        publishOn(keys.groupChanges(), group);
    }

    private void publishOn(String channel, String payload) {
        publishers.computeIfAbsent(channel, c -> new OrderedPublisher(redis, c, capacity, meters)).publish(payload);
    }

    /**
     * Starts listening for {@code node}'s deliveries and returns at once; {@link Subscription#ready()}
     * completes once Redis confirmed the subscription. Should it fail (Redis away), it is tried again
     * every second until it succeeds or the subscription is closed.
     */
    @Override
    public Subscription subscribe(String node, Consumer<Delivery> handler) {
        return subscribe(node, handler, () -> { });
    }

    /**
     * As {@link #subscribe(String, Consumer)}; {@code onListening} runs (on a Redisson thread, so it
     * must not block) once Redis has confirmed the subscription, and again each time Redisson has
     * subscribed again after losing the connection.
     */
    @Override
    public Subscription subscribe(String node, Consumer<Delivery> handler, Runnable onListening) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(onListening, "onListening");
        return open(keys.bus(node), "the bus of node " + node, payload -> deliver(node, payload, handler), onListening);
    }

    /** Like {@link #subscribe}: returns at once, and keeps trying until Redis confirms. */
    @Override
    public Subscription subscribeGroupChanges(Consumer<String> handler) {
        Objects.requireNonNull(handler, "handler");
        return open(keys.groupChanges(), "group changes", group -> {
            meters.received.increment();
            handler.accept(group);
        }, () -> { });
    }

    private Subscription open(String channel, String name, Consumer<String> payloads, Runnable onListening) {
        Subscription subscription = new Subscription(channel, name, payloads, onListening);
        subscriptions.add(subscription);
        subscription.attempt();
        return subscription;
    }

    private void deliver(String node, String payload, Consumer<Delivery> handler) {
        Delivery delivery;
        try {
            delivery = DeliveryCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            meters.malformed.increment();
            log.warn("dropped a malformed delivery on the bus of node {}: {}", node, e.getMessage());
            return;
        }
        meters.received.increment();
        handler.accept(delivery);
    }

    /**
     * True while a subscription of this bus for {@code node} is open and Redis has confirmed it, so
     * deliveries published to {@code node} arrive (a node is ready only then).
     */
    public boolean listening(String node) {
        String channel = keys.bus(node);
        return subscriptions.stream().anyMatch(subscription -> subscription.channel.equals(channel)
                && subscription.ready.isDone() && !subscription.closed);
    }

    /** Stops every subscription of this bus; the Redisson client stays open. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
    }

    /** Listening on one channel of the bus, until closed. */
    public final class Subscription implements AutoCloseable {
        private final String channel;
        private final String name;
        private final RShardedTopic topic;
        private final Consumer<String> payloads;
        private final Runnable onListening;
        private final MessageListener<String> listener = (channel, payload) -> receive(payload);
        /** Redisson calls it once it has subscribed again after a reconnect (not for the first subscription). */
        private final StatusListener resubscribed = new BaseStatusListener() {
            @Override
            public void onSubscribe(String channel) {
                log.info("subscribed to {} again; what was published to it meanwhile is lost", name);
                listening();
            }
        };
        private final AtomicReference<Integer> resubscribedId = new AtomicReference<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private volatile boolean closed;

        private Subscription(String channel, String name, Consumer<String> payloads, Runnable onListening) {
            this.channel = channel;
            this.name = name;
            this.topic = redis.getShardedTopic(channel, StringCodec.INSTANCE);
            this.payloads = payloads;
            this.onListening = onListening;
        }

        /** Completes once Redis has confirmed the subscription: deliveries published from then on arrive. */
        public CompletionStage<Void> ready() {
            return ready;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            subscriptions.remove(this);
            ready.thenRun(this::unsubscribe);
        }

        private void attempt() {
            if (closed) {
                return;
            }
            RedisCalls.call("subscribing to the node bus", () -> topic.addListenerAsync(String.class, listener))
                    .whenComplete((id, failure) -> {
                        if (failure == null) {
                            ready.complete(null);
                            listening();
                            watchResubscriptions(false);
                        } else {
                            retryLater("subscribe to", failure, this::attempt);
                        }
                    });
        }

        /**
         * Adds the status listener that hears of Redisson's own resubscriptions; added after the
         * message listener, so that it does not announce the first subscription before messages
         * are heard.
         */
        private void watchResubscriptions(boolean retried) {
            if (closed) {
                return;
            }
            RedisCalls.call("watching the node bus subscription", () -> topic.addListenerAsync(resubscribed))
                    .whenComplete((id, failure) -> {
                        if (failure != null) {
                            retryLater("watch", failure, () -> watchResubscriptions(true));
                            return;
                        }
                        resubscribedId.set(id);
                        if (closed) {
                            removeStatusListener();
                        } else if (retried) {
                            // the connection may have been lost and restored while nothing watched
                            listening();
                        }
                    });
        }

        private void listening() {
            if (closed) {
                return;
            }
            try {
                onListening.run();
            } catch (RuntimeException e) {
                log.warn("the listener of {} failed", name, e);
            }
        }

        private void retryLater(String what, Throwable failure, Runnable retry) {
            if (closed) {
                return;
            }
            log.warn("could not {} {}; trying again in {}", what, name, RESUBSCRIBE_DELAY, failure);
            CompletableFuture.delayedExecutor(RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(retry);
        }

        private void unsubscribe() {
            RedisCalls.call("unsubscribing from the node bus", () -> topic.removeListenerAsync(listener))
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            log.debug("could not unsubscribe from {}", name, failure);
                        }
                    });
            removeStatusListener();
        }

        private void removeStatusListener() {
            Integer id = resubscribedId.getAndSet(null);
            if (id == null) {
                return;
            }
            RedisCalls.call("unsubscribing from the node bus", () -> topic.removeListenerAsync(id))
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            log.debug("could not stop watching {}", name, failure);
                        }
                    });
        }

        private void receive(String payload) {
            if (closed) {
                return;
            }
            try {
                payloads.accept(payload);
            } catch (RuntimeException e) {
                log.warn("the handler of {} failed", name, e);
            }
        }
    }
}
