package dev.pigeon.router;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key, in the order it was handed in. A lane exists only
 * while work on its key is waiting or running. The next work of a lane starts on {@code executor},
 * so a run of work that fails at once cannot grow the stack.
 */
final class KeyedLanes {
    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Executor executor;

    KeyedLanes(Executor executor) {
        this.executor = executor;
    }

    /** Starts {@code work} once every earlier work on {@code key} has finished, however it finished. */
    <T> CompletableFuture<T> run(String key, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, turn);
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> stage;
            try {
                stage = work.get();
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((value, failure) -> {
                tails.remove(key, turn);
                turn.complete(null);
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        };
        if (previous == null) {
            start.run();
        } else {
            previous.thenRunAsync(start, executor);
        }
        return result;
    }

    /** Keys with work waiting or running. */
    int busy() {
        return tails.size();
    }
}
