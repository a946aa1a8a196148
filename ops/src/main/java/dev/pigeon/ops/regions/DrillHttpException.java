package dev.pigeon.ops.regions;

import java.io.IOException;

/** A node answered an HTTP request of the drill with a status other than the one expected. */
final class DrillHttpException extends IOException {
    private final int status;

    DrillHttpException(String request, int status, String body) {
        super(request + " answered " + status + (body == null || body.isBlank() ? "" : ": " + body.strip()));
        this.status = status;
    }

    int status() {
        return status;
    }

    /** A refusal worth asking again: the node or what it needs is not there yet. */
    boolean retryable() {
        return status == 503 || status == 502 || status == 504 || status == 429;
    }
}
