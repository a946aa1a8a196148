package dev.pigeon.router;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Bounds every call into storage or presence by a timeout, so a stuck backend fails a request instead of hanging it. */
final class StoreCalls {
    private final long timeoutMillis;

    StoreCalls(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> operation) {
        try {
            // copy() so the timeout never completes a future the backend may share with other callers
            return operation.get().toCompletableFuture().copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
