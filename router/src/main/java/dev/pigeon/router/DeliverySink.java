package dev.pigeon.router;

/**
 * A live session as the router sees it. {@link #deliver} is called from router threads and must
 * not block: a session hands the delivery to its own event loop.
 */
@FunctionalInterface
public interface DeliverySink {
    void deliver(Delivery delivery);
}
