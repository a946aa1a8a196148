package dev.pigeon.storage.cassandra;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLanesTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final PartitionLanes lanes = new PartitionLanes(executor);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void workOnOnePartitionRunsInTurnAndEachAppendGetsTheHeadThePreviousLeft() throws Exception {
        CompletableFuture<Long> first = new CompletableFuture<>();
        List<Long> handed = Collections.synchronizedList(new ArrayList<>());

        CompletionStage<Long> a = lanes.run("p", head -> {
            handed.add(head);
            return first;
        }, Long::longValue);
        CompletionStage<Long> b = lanes.run("p", head -> {
            handed.add(head);
            return CompletableFuture.completedFuture(head + 1);
        }, Long::longValue);

        assertThat(handed).containsExactly(PartitionLanes.UNKNOWN_HEAD);
        assertThat(b.toCompletableFuture()).isNotDone();
        first.complete(41L);

        assertThat(b.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(a.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(41);
        assertThat(handed).containsExactly(PartitionLanes.UNKNOWN_HEAD, 41L);
    }

    @Test
    void aFailureIsReportedAndTheNextWorkRunsWithoutAKnownHead() throws Exception {
        CompletionStage<Long> failed = lanes.run("p", head -> CompletableFuture.failedFuture(new IllegalStateException("x")),
                Long::longValue);
        CompletionStage<Long> next = lanes.run("p", head -> CompletableFuture.completedFuture(head), Long::longValue);

        assertThat(next.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(PartitionLanes.UNKNOWN_HEAD);
        assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void workThatThrowsFailsItsStageInsteadOfBlockingTheLane() throws Exception {
        CompletionStage<Object> thrown = lanes.run("p", () -> {
            throw new IllegalArgumentException("bad");
        });
        CompletionStage<String> next = lanes.run("p", () -> CompletableFuture.completedFuture("ran"));

        assertThat(next.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(thrown.toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void otherPartitionsDoNotWait() {
        lanes.run("p", CompletableFuture::new);

        assertThat(lanes.run("q", () -> CompletableFuture.completedFuture("q")).toCompletableFuture()).isCompleted();
    }

    @Test
    void aLongQueueOfWorkThatCompletesAtOnceDoesNotGrowTheStack() throws Exception {
        CompletableFuture<String> gate = new CompletableFuture<>();
        lanes.run("p", () -> gate);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int n = i;
            queued.add(lanes.run("p", () -> CompletableFuture.completedFuture(n)).toCompletableFuture());
        }

        gate.complete("go");

        assertThat(queued.get(queued.size() - 1).get(30, TimeUnit.SECONDS)).isEqualTo(99_999);
        assertThat(queued).allSatisfy(work -> assertThat(work).isCompleted());
    }

    @Test
    void workStillRunsInlineOnceTheExecutorIsShutDown() throws Exception {
        CompletableFuture<String> gate = new CompletableFuture<>();
        lanes.run("p", () -> gate);
        CompletionStage<String> next = lanes.run("p", () -> CompletableFuture.completedFuture("ran"));
        executor.shutdown();

        gate.complete("go");

        assertThat(next.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("ran");
    }
}
