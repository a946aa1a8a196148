package dev.pigeon.router;

import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Turns whatever went wrong below the router into the wire error a caller gets. */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    /** The protocol error a failure stands for: storage trouble and timeouts are {@code unavailable}. */
    static ProtocolException toProtocol(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProtocolException protocol) {
            return protocol;
        }
        if (cause instanceof StorageUnavailableException || cause instanceof TimeoutException) {
            log.debug("storage unavailable", cause);
            return ProtocolException.unavailable("storage unavailable, safe to retry");
        }
        log.warn("unexpected failure in the router", cause);
        return ProtocolException.unavailable("internal error, safe to retry");
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Runs {@code work} and returns a stage that fails with a bare {@link ProtocolException}, never a
     * wrapped one, whether {@code work} threw or its stage failed.
     */
    static <T> CompletableFuture<T> settle(Supplier<? extends CompletionStage<T>> work) {
        return settle(work, null);
    }

    /** As {@link #settle(Supplier)}, the error carrying {@code ref} (the request's reply ref) when it has none. */
    static <T> CompletableFuture<T> settle(Supplier<? extends CompletionStage<T>> work, String ref) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            work.get().whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(toProtocol(failure).withRef(ref));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(toProtocol(e).withRef(ref));
        }
        return result;
    }
}
