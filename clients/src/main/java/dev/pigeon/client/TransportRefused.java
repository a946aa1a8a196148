package dev.pigeon.client;

import java.io.IOException;

/** The server (or a proxy in front of it) answered the opening request with an HTTP status instead of a session. */
final class TransportRefused extends IOException {
    private final int status;

    TransportRefused(String transport, int status) {
        super(transport + " refused with HTTP " + status, null);
        this.status = status;
    }

    int status() {
        return status;
    }

    boolean unauthorized() {
        return status == 401;
    }
}
