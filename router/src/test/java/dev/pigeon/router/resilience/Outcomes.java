package dev.pigeon.router.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Waits (boundedly) for a guarded call and hands back what it gave. */
final class Outcomes {
    private Outcomes() {
    }

    static <T> T valueOf(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The exception the stage failed with, as the guard passed it on (never wrapped). */
    static Throwable failureOf(CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        Throwable failure = future.copy().orTimeout(5, TimeUnit.SECONDS).handle((value, error) -> error).join();
        assertThat(failure).as("the call should have failed").isNotNull();
        return future.handle((value, error) -> error).join();
    }
}
