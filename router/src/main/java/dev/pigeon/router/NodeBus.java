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

    /** Tells every node, this one included, that a group's members changed. May be lost like a delivery. */
    void announceGroupChange(String group);

    /** Receives the group changes every node announces until the returned handle is closed. */
    AutoCloseable subscribeGroupChanges(Consumer<String> handler);

    @Override
    void close();
}
