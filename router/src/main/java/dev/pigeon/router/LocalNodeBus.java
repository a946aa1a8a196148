package dev.pigeon.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The node bus inside one process, for the embedded mode and in-JVM clusters. Each subscriber is
 * called on the bus's executor, never on the publisher's thread, and sees the deliveries addressed
 * to its node in the order they were published.
 */
public final class LocalNodeBus implements NodeBus {
    private static final Logger log = LoggerFactory.getLogger(LocalNodeBus.class);
    /** Deliveries that may wait for one subscriber before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final ExecutorService executor;
    private final int capacity;
    private final ConcurrentMap<String, List<SerialDispatcher<Delivery>>> subscribers = new ConcurrentHashMap<>();
    private final List<SerialDispatcher<String>> groupChangeSubscribers = new CopyOnWriteArrayList<>();

    private LocalNodeBus(ExecutorService executor, int capacity) {
        this.executor = executor;
        this.capacity = capacity;
    }

    /** A bus with its own small pool of daemon threads, shut down by {@link #close()}. */
    public static LocalNodeBus create() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new LocalNodeBus(Executors.newFixedThreadPool(threads, daemonThreads()), DEFAULT_CAPACITY);
    }

    @Override
    public void publish(String node, Delivery delivery) {
        List<SerialDispatcher<Delivery>> targets = subscribers.get(node);
        if (targets == null) {
            log.debug("no subscriber on node {}; dropping a delivery for {}", node, delivery.user());
            return;
        }
        for (SerialDispatcher<Delivery> target : targets) {
            if (!target.offer(delivery)) {
                log.warn("subscriber on node {} is behind; dropped a delivery for {}", node, delivery.user());
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String node, Consumer<Delivery> handler) {
        SerialDispatcher<Delivery> dispatcher = new SerialDispatcher<>(executor, handler, capacity);
        subscribers.compute(node, (n, list) -> {
            List<SerialDispatcher<Delivery>> target = list != null ? list : new CopyOnWriteArrayList<>();
            target.add(dispatcher);
            return target;
        });
        return () -> {
            dispatcher.close();
            subscribers.computeIfPresent(node, (n, list) -> {
                list.remove(dispatcher);
                return list.isEmpty() ? null : list;
            });
        };
    }

    @Override
    public void announceGroupChange(String group) {
        for (SerialDispatcher<String> target : groupChangeSubscribers) {
            if (!target.offer(group)) {
                log.warn("a group change subscriber is behind; dropped the change of {}", group);
            }
        }
    }

    @Override
    public AutoCloseable subscribeGroupChanges(Consumer<String> handler) {
        SerialDispatcher<String> dispatcher = new SerialDispatcher<>(executor, handler, capacity);
        groupChangeSubscribers.add(dispatcher);
        return () -> {
            dispatcher.close();
            groupChangeSubscribers.remove(dispatcher);
        };
    }

    @Override
    public void close() {
        subscribers.values().forEach(list -> list.forEach(SerialDispatcher::close));
        subscribers.clear();
        groupChangeSubscribers.forEach(SerialDispatcher::close);
        groupChangeSubscribers.clear();
        executor.shutdown();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "pigeon-bus-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
