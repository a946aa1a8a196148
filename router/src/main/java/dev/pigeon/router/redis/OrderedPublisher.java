package dev.pigeon.router.redis;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RShardedTopicAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes to one channel in the order {@link #publish} was called. Redisson spreads single
 * commands over a pool of connections, which can reorder them; here one batch is in flight at a
 * time (a batch goes out pipelined on one connection) and everything that queued meanwhile goes
 * in the next, so a busy channel pays one round trip per batch, not per message.
 */
final class OrderedPublisher {
    private static final Logger log = LoggerFactory.getLogger(OrderedPublisher.class);
    static final int MAX_BATCH = 1_000;

    private final RedissonClient redis;
    private final String channel;
    private final int capacity;
    private final BusMeters meters;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean failing;

    OrderedPublisher(RedissonClient redis, String channel, int capacity, BusMeters meters) {
        this.redis = redis;
        this.channel = channel;
        this.capacity = capacity;
        this.meters = meters;
    }

    /** Queues a payload; beyond {@code capacity} waiting (Redis slow or down) it is dropped and counted. */
    void publish(String payload) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            meters.dropped.increment();
            return;
        }
        queue.add(payload);
        sendNext();
    }

    private void sendNext() {
        if (!sending.compareAndSet(false, true)) {
            return; // the batch in flight sends the next one when it is done
        }
        List<String> payloads = new ArrayList<>();
        String payload;
        while (payloads.size() < MAX_BATCH && (payload = queue.poll()) != null) {
            payloads.add(payload);
        }
        queued.addAndGet(-payloads.size());
        if (payloads.isEmpty()) {
            sending.set(false);
            // a payload queued after the poll but before the flag cleared would otherwise wait for the next publish
            if (!queue.isEmpty()) {
                sendNext();
            }
            return;
        }
        List<RFuture<Long>> receivers = new ArrayList<>(payloads.size());
        try {
            RBatch batch = redis.createBatch();
            RShardedTopicAsync topic = batch.getShardedTopic(channel, StringCodec.INSTANCE);
            payloads.forEach(each -> receivers.add(topic.publishAsync(each)));
            RedisCalls.execute(batch, receivers).whenComplete((done, failure) -> {
                if (failure == null) {
                    sent(receivers);
                } else {
                    failed(payloads.size(), failure);
                }
                sending.set(false);
                sendNext();
            });
        } catch (RuntimeException e) {
            failed(payloads.size(), e);
            sending.set(false);
        }
    }

    private void sent(List<RFuture<Long>> receivers) {
        if (failing) {
            failing = false;
            log.info("publishing on {} works again", channel);
        }
        for (RFuture<Long> heard : receivers) {
            (heard.toCompletableFuture().join() > 0 ? meters.heard : meters.unheard).increment();
        }
    }

    private void failed(int payloads, Throwable failure) {
        meters.failed.increment(payloads);
        if (!failing) {
            failing = true;
            log.warn("publishing on {} fails; deliveries are lost until Redis answers (sessions catch up from the inbox)",
                    channel, RedisCalls.unwrap(failure));
        }
    }
}
