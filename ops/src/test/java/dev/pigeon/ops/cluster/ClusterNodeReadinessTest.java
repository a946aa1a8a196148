package dev.pigeon.ops.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterNodeReadinessTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final Supplier<CompletionStage<?>> ANSWERS = () -> CompletableFuture.completedFuture(0L);
    private static final Supplier<CompletionStage<?>> FAILS =
            () -> CompletableFuture.failedFuture(new IllegalStateException("down"));
    private static final Supplier<CompletionStage<?>> HANGS = CompletableFuture::new;
    private static final Supplier<CompletionStage<?>> THROWS = () -> {
        throw new IllegalStateException("closed");
    };

    @Test
    void readyOnlyWhenBothAnswer() {
        assertThat(ready(ANSWERS, ANSWERS)).isTrue();
        assertThat(ready(ANSWERS, FAILS)).isFalse();
        assertThat(ready(FAILS, ANSWERS)).isFalse();
    }

    @Test
    void aProbeThatHangsOrThrowsMeansNotReady() {
        assertThat(ready(HANGS, ANSWERS)).isFalse();
        assertThat(ready(ANSWERS, THROWS)).isFalse();
    }

    private static boolean ready(Supplier<CompletionStage<?>> store, Supplier<CompletionStage<?>> redis) {
        return ClusterNode.bothAnswer(store, redis, TIMEOUT).toCompletableFuture().join();
    }
}
