package dev.pigeon.gateway.session;

/** Why a session ended; each transport tells its client in its own way (a close code, a stream end). */
public enum SessionEnd {
    /** The client went away. */
    CLIENT_GONE,
    /** The client read too slowly and its outbound queue overflowed; it resumes from its {@code seq}. */
    SLOW_CONSUMER,
    /** The node is shutting down; the client reconnects, to this node or another. */
    RESTART,
    /** The session's token expired; the client reconnects with a fresh one. */
    TOKEN_EXPIRED,
    /** An operator disconnected the user. */
    DISCONNECTED,
    /** A stream reached its maximum lifetime (SSE). */
    LIFETIME,
    /** The session did its job (a long-poll answered). */
    COMPLETE,
    /** Storage or the router could not be reached; the client retries later. */
    UNAVAILABLE
}
