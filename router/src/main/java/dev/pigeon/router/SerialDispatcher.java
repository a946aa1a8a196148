package dev.pigeon.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Hands items to one consumer on a shared executor, one at a time and in the order offered. At most
 * {@code capacity} items wait; beyond that new ones are dropped (the bus may lose deliveries, and a
 * consumer that far behind is better served by refilling from the inbox).
 */
final class SerialDispatcher<T> {
    private static final Logger log = LoggerFactory.getLogger(SerialDispatcher.class);

    private final Executor executor;
    private final Consumer<T> consumer;
    private final int capacity;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    SerialDispatcher(Executor executor, Consumer<T> consumer, int capacity) {
        this.executor = executor;
        this.consumer = consumer;
        this.capacity = capacity;
    }

    /** Queues an item; false when it was dropped (closed or full). */
    boolean offer(T item) {
        if (closed) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(item);
        schedule();
        return true;
    }

    void close() {
        closed = true;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                log.debug("dispatch executor is shut down; dropping queued items");
            }
        }
    }

    private void drain() {
        T item;
        while (!closed && (item = queue.poll()) != null) {
            queued.decrementAndGet();
            try {
                consumer.accept(item);
            } catch (RuntimeException e) {
                log.warn("a delivery consumer failed", e);
            }
        }
        scheduled.set(false);
        // an item offered after the last poll but before the flag cleared would otherwise wait for the next offer
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }
}
