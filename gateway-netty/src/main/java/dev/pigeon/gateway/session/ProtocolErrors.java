package dev.pigeon.gateway.session;

import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns whatever failed a request into the error the client gets. */
public final class ProtocolErrors {
    private static final Logger log = LoggerFactory.getLogger(ProtocolErrors.class);

    private ProtocolErrors() {
    }

    /**
     * The protocol error for {@code failure}: a {@link ProtocolException} as it is, an unreachable
     * store or a timeout as {@code unavailable}, anything else (a bug) logged and {@code unavailable}.
     */
    public static ProtocolException from(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProtocolException protocol) {
            return protocol;
        }
        if (cause instanceof StorageUnavailableException || cause instanceof TimeoutException) {
            return ProtocolException.unavailable("storage is unreachable; retry later");
        }
        log.error("request failed unexpectedly", cause);
        return ProtocolException.unavailable("internal error; retry later");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
