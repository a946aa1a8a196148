package dev.pigeon.router;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session stand-in that keeps every delivery it is handed, with the thread that handed it. */
final class CollectingSink implements DeliverySink {
    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(Delivery delivery) {
        threads.add(Thread.currentThread());
        received.add(delivery);
    }

    List<Delivery> received() {
        return List.copyOf(received);
    }

    <T extends Delivery> List<T> received(Class<T> kind) {
        return received.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    List<Thread> threads() {
        return List.copyOf(threads);
    }
}
