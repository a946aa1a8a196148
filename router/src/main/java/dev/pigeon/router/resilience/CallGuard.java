package dev.pigeon.router.resilience;

import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.StorageUnavailableException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs calls into one remote backend behind a circuit breaker, a bulkhead and a timeout, all named {@code name}.
 *
 * <p>Only {@link StorageUnavailableException} (timeouts become one) counts as a failure of the backend;
 * {@link ProtocolException} and {@link IllegalArgumentException} are answers about the request and are
 * ignored by the breaker. A call refused by the open circuit or the full bulkhead never reaches the
 * backend and fails at once with {@link StorageUnavailableException}, which callers answer {@code unavailable}.
 */
final class CallGuard {
    private final String name;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final long timeoutMillis;

    CallGuard(String name, ResilienceSettings settings, MeterRegistry meters) {
        this.name = name;
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenProbes())
                .recordExceptions(StorageUnavailableException.class)
                .ignoreExceptions(ProtocolException.class, IllegalArgumentException.class)
                .build());
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.breaker = breakers.circuitBreaker(name);
        this.bulkhead = bulkheads.bulkhead(name);
        this.timeoutMillis = settings.timeout().toMillis();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> operation) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new StorageUnavailableException(name + " circuit open", null));
        }
        if (!bulkhead.tryAcquirePermission()) {
            // refused before reaching the backend: says nothing about its health
            breaker.releasePermission();
            return CompletableFuture.failedFuture(new StorageUnavailableException(name + " too many calls in flight", null));
        }
        long start = breaker.getCurrentTimestamp();
        CompletableFuture<T> result = new CompletableFuture<>();
        invoke(operation).whenComplete((value, failure) -> {
            bulkhead.onComplete();
            long elapsed = breaker.getCurrentTimestamp() - start;
            if (failure == null) {
                breaker.onSuccess(elapsed, breaker.getTimestampUnit());
                result.complete(value);
            } else {
                Throwable cause = asUnavailableIfTimedOut(unwrap(failure));
                breaker.onError(elapsed, breaker.getTimestampUnit(), cause);
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    private <T> CompletableFuture<T> invoke(Supplier<? extends CompletionStage<T>> operation) {
        try {
            // copy() so the timeout never completes a future the backend may share with other callers
            return operation.get().toCompletableFuture().copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Throwable asUnavailableIfTimedOut(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return new StorageUnavailableException(name + " call timed out after " + timeoutMillis + " ms", cause);
        }
        return cause;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
