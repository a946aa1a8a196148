package dev.pigeon.router;

import java.util.function.Consumer;

/**
 * Carries deliveries from the node that accepted a send to the nodes that hold the recipients'
 * sessions. It may lose a delivery: the inbox is the truth, and sessions fill gaps from it.
 */
public interface NodeBus extends AutoCloseable {

    void publish(String node, Delivery delivery);

    /** Receives the deliveries addressed to {@code node} until the returned handle is closed. */
    AutoCloseable subscribe(String node, Consumer<Delivery> handler);

    /**
     * As {@link #subscribe(String, Consumer)}, calling {@code onListening} each time the bus confirms
     * that deliveries to {@code node} arrive from then on: once the subscription is first in place, and
     * again whenever it is restored after being lost. Deliveries published before such a moment may be
     * gone, so the subscriber looks for what it missed. The default suits a bus whose subscriptions are
     * in place when this returns and never lost: it never calls {@code onListening}.
     */
    default AutoCloseable subscribe(String node, Consumer<Delivery> handler, Runnable onListening) {
        return subscribe(node, handler);
    }

    /** Tells every node, this one included, that a group's members changed. May be lost like a delivery. */
    void announceGroupChange(String group);

    /** Receives the group changes every node announces until the returned handle is closed. */
    AutoCloseable subscribeGroupChanges(Consumer<String> handler);

    @Override
    void close();
}
