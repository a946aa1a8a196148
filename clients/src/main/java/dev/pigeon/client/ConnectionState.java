package dev.pigeon.client;

/**
 * Where a client's connection stands and over which transport ({@code null} before the first attempt
 * and once closed).
 */
public record ConnectionState(Status status, TransportKind transport) {

    public enum Status {
        /** Trying to open a session. */
        CONNECTING,
        /** A session is open: messages stream in, queued sends go out. */
        OPEN,
        /** The last attempt failed or the session was cut; another attempt is scheduled. */
        OFFLINE,
        /** {@link PigeonClient#close()} was called. */
        CLOSED
    }

    static final ConnectionState IDLE = new ConnectionState(Status.OFFLINE, null);
    static final ConnectionState CLOSED = new ConnectionState(Status.CLOSED, null);
}
