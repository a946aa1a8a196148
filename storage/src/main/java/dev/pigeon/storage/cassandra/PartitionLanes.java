package dev.pigeon.storage.cassandra;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Runs the lightweight transactions of this process on one partition one after another; for
 * appends, hands each the head the previous one ended at. Correctness never depends on it (other
 * processes write the same partitions): it only keeps this process's own writers from contending
 * for the same Paxos round, which wastes rounds and ends in timeouts under load, and saves
 * reading the head hint on a busy partition.
 *
 * <p>A lane exists only while work on its partition is waiting or running. The next work of a
 * lane starts on {@code executor} (or inline once it is shut down), so a run of operations that
 * fail at once cannot grow the stack.
 */
final class PartitionLanes {
    /** Handed to an append when the head is not known from an earlier one. */
    static final long UNKNOWN_HEAD = 0;

    private final ConcurrentMap<String, CompletableFuture<Long>> tails = new ConcurrentHashMap<>();
    private final Executor executor;

    PartitionLanes(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code work} once every earlier work on {@code partition} has finished. */
    <T> CompletionStage<T> run(String partition, Supplier<CompletionStage<T>> work) {
        return run(partition, knownHead -> work.get(), value -> UNKNOWN_HEAD);
    }

    /**
     * Runs {@code append} once every earlier work on {@code partition} has finished, handing it
     * the head the previous append left ({@link #UNKNOWN_HEAD} if none); {@code headAfter} tells
     * the head a successful append leaves.
     */
    <T> CompletionStage<T> run(String partition, LongFunction<CompletionStage<T>> append, ToLongFunction<T> headAfter) {
        CompletableFuture<Long> turn = new CompletableFuture<>();
        CompletableFuture<Long> previous = tails.put(partition, turn);
        CompletableFuture<T> result = new CompletableFuture<>();
        if (previous == null) {
            start(partition, turn, UNKNOWN_HEAD, append, headAfter, result);
        } else {
            previous.thenAccept(head -> {
                try {
                    executor.execute(() -> start(partition, turn, head, append, headAfter, result));
                } catch (RejectedExecutionException closing) {
                    start(partition, turn, head, append, headAfter, result);
                }
            });
        }
        return result;
    }

    private <T> void start(String partition, CompletableFuture<Long> turn, long knownHead,
                           LongFunction<CompletionStage<T>> append, ToLongFunction<T> headAfter,
                           CompletableFuture<T> result) {
        CompletionStage<T> stage;
        try {
            stage = append.apply(knownHead);
        } catch (Throwable e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((value, error) -> {
            tails.remove(partition, turn);
            turn.complete(error == null ? headAfter.applyAsLong(value) : UNKNOWN_HEAD);
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(error);
            }
        });
    }
}
