package dev.pigeon.storage.embedded;

import dev.pigeon.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreExecutorTest {
    private final StoreExecutor executor = new StoreExecutor(
            EmbeddedStoreOptions.builder().executorThreads(1).maxQueuedOperations(1).build());

    @Test
    void operationsRunAndCompleteOnTheStoresThreads() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        String result = executor.submit("op", () -> {
            ranOn.set(Thread.currentThread());
            return "done";
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("done");
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
        assertThat(ranOn.get().getName()).startsWith("pigeon-store-");
        executor.close(() -> { });
    }

    @Test
    void aFullQueueFailsCallsAsUnavailableInsteadOfQueueingWithoutBound() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocking = executor.submit("block", () -> {
            running.countDown();
            return release.await(10, TimeUnit.SECONDS);
        }).toCompletableFuture();
        running.await(10, TimeUnit.SECONDS);
        CompletableFuture<Integer> queued = executor.submit("queued", () -> 1).toCompletableFuture();

        CompletableFuture<Integer> rejected = executor.submit("rejected", () -> 2).toCompletableFuture();

        assertThatThrownBy(rejected::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StorageUnavailableException.class).hasMessageContaining("overloaded");
        release.countDown();
        assertThat(blocking.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        executor.close(() -> { });
    }

    @Test
    void closeWaitsForQueuedOperationsThenReleasesOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> running = executor.submit("running", () -> release.await(10, TimeUnit.SECONDS))
                .toCompletableFuture();
        AtomicBoolean releasedEarly = new AtomicBoolean();
        CountDownLatch released = new CountDownLatch(1);
        Thread closer = new Thread(() -> executor.close(() -> {
            releasedEarly.set(!running.isDone());
            released.countDown();
        }));
        closer.start();

        release.countDown();
        assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(releasedEarly).isFalse();
        executor.close(() -> {
            throw new AssertionError("released twice");
        });
        assertThatThrownBy(() -> executor.submit("late", () -> 1).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(StorageUnavailableException.class).hasMessageContaining("closed");
    }

    @Test
    void failuresOfAnOperationFailItsStage() {
        CompletableFuture<Object> failed = executor.submit("fails", () -> {
            throw new IllegalArgumentException("bad");
        }).toCompletableFuture();

        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
        executor.close(() -> { });
    }
}
