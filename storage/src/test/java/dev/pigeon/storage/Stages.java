package dev.pigeon.storage;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting for a store's stages in tests, bounded so that a hung store fails the test instead of hanging it. */
public final class Stages {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Stages() {
    }

    /** The stage's value; fails the test if it failed or did not complete in time. */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError("stage did not complete", e);
        }
    }

    /** The exception a stage failed with; fails the test if it succeeded. */
    public static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("stage did not complete", e);
        }
    }
}
