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

    @Override
    void close();
}
