package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.StorageUnavailableException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Admission of calls to one session, shared by every facade over it: at most {@code maxInFlight}
 * in progress (one more fails at once rather than queueing), none after {@link #stop}, and driver
 * failures turned into ours.
 */
final class Calls {
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final AtomicBoolean closed = new AtomicBoolean();

    Calls(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Admits a call (or fails it at once), runs it, and turns driver failures into ours. */
    <T> CompletionStage<T> call(String operation, Supplier<CompletionStage<T>> work) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new StorageUnavailableException("the Cassandra store is closed", null));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new StorageUnavailableException(closed.get()
                    ? "the Cassandra store is closed"
                    : "the Cassandra store is overloaded: " + maxInFlight + " calls already in progress", null));
        }
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (Throwable e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            inFlight.release();
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(Failures.translate(operation, error));
            }
        });
        return result;
    }

    /** Stops admitting calls: false when they were stopped before. */
    boolean stop() {
        return closed.compareAndSet(false, true);
    }

    /** Waits up to {@code drain} for the calls in progress to end: false when some still have not. */
    boolean drain(Duration drain) {
        try {
            return inFlight.tryAcquire(maxInFlight, drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
