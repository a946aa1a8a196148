package dev.pigeon.router;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedLanesTest {
    private final KeyedLanes lanes = new KeyedLanes(ForkJoinPool.commonPool());

    @Test
    void workOnOneKeyStartsOnlyAfterTheEarlierFinishedInOrder() {
        List<String> started = new CopyOnWriteArrayList<>();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> one = lanes.run("k", () -> {
            started.add("one");
            return first;
        });
        CompletableFuture<String> two = lanes.run("k", () -> {
            started.add("two");
            return CompletableFuture.completedFuture("2");
        });

        assertThat(started).containsExactly("one");
        first.complete("1");

        assertThat(two.join()).isEqualTo("2");
        assertThat(one.join()).isEqualTo("1");
        assertThat(started).containsExactly("one", "two");
        assertThat(lanes.busy()).isZero();
    }

    @Test
    void otherKeysDoNotWait() {
        lanes.run("busy", CompletableFuture::new);

        assertThat(lanes.run("free", () -> CompletableFuture.completedFuture("done")).join()).isEqualTo("done");
        assertThat(lanes.busy()).isEqualTo(1);
    }

    @Test
    void failedWorkFailsOnlyItselfAndTheLaneGoesOn() {
        CompletableFuture<String> failed = lanes.run("k", () -> {
            throw new IllegalStateException("broken");
        });
        CompletableFuture<String> next = lanes.run("k", () -> CompletableFuture.completedFuture("after"));

        assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(next.join()).isEqualTo("after");
    }
}
