package dev.pigeon.client;

/** The transports a client can use, best first. */
public enum TransportKind {
    WEBSOCKET,
    SSE,
    LONG_POLL
}
