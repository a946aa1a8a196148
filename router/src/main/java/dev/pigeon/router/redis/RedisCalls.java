package dev.pigeon.router.redis;

import dev.pigeon.storage.StorageUnavailableException;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.client.RedisException;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs a Redis operation so that its failure reads as the router expects: Redis unreachable, timed
 * out or shut down is {@link StorageUnavailableException} (callers answer {@code unavailable}, safe
 * to retry); anything else passes through unwrapped.
 */
final class RedisCalls {
    private RedisCalls() {
    }

    static <T> CompletableFuture<T> call(String what, Supplier<? extends CompletionStage<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            operation.get().whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(translate(what, failure));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(translate(what, e));
        }
        return result;
    }

    /**
     * Executes {@code batch}; the stage completes once every one of its {@code commands} has its
     * answer, so callers may read them with {@code join()} without waiting.
     */
    static CompletableFuture<Void> execute(RBatch batch, Collection<? extends RFuture<?>> commands) {
        return batch.executeAsync().toCompletableFuture()
                .thenCompose(done -> CompletableFuture.allOf(commands.stream()
                        .map(RFuture::toCompletableFuture).toArray(CompletableFuture[]::new)));
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Throwable translate(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisException) {
            return new StorageUnavailableException(what + " failed: " + cause.getMessage(), cause);
        }
        return cause;
    }
}
