package dev.pigeon.gateway.http;

/** Events fired down a connection's pipeline by the node. */
public enum ConnectionEvent {
    /** The node is shutting down: finish the request in hand, then close. */
    DRAIN
}
