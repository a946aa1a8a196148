package dev.pigeon.router;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class SerialDispatcherTest {
    /** Runs what was handed to it only when the test says so. */
    private final ManualExecutor executor = new ManualExecutor();
    private final List<Integer> consumed = new ArrayList<>();

    @Test
    void itemsReachTheConsumerInTheOrderOfferedInOneTask() {
        SerialDispatcher<Integer> dispatcher = new SerialDispatcher<>(executor, consumed::add, 10);

        for (int i = 1; i <= 5; i++) {
            assertThat(dispatcher.offer(i)).isTrue();
        }

        assertThat(executor.tasks).as("one drain for everything queued").hasSize(1);
        executor.runAll();
        assertThat(consumed).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void beyondTheCapacityNewItemsAreDroppedUntilTheQueueDrains() {
        SerialDispatcher<Integer> dispatcher = new SerialDispatcher<>(executor, consumed::add, 2);

        assertThat(List.of(dispatcher.offer(1), dispatcher.offer(2), dispatcher.offer(3)))
                .containsExactly(true, true, false);
        executor.runAll();
        assertThat(dispatcher.offer(4)).isTrue();
        executor.runAll();

        assertThat(consumed).containsExactly(1, 2, 4);
    }

    @Test
    void aFailingConsumerDoesNotStopTheItemsAfter() {
        SerialDispatcher<Integer> dispatcher = new SerialDispatcher<>(executor, item -> {
            if (item == 1) {
                throw new IllegalStateException("broken session");
            }
            consumed.add(item);
        }, 10);

        dispatcher.offer(1);
        dispatcher.offer(2);
        executor.runAll();

        assertThat(consumed).containsExactly(2);
    }

    @Test
    void closedItTakesNothingMoreAndDeliversNothingQueued() {
        SerialDispatcher<Integer> dispatcher = new SerialDispatcher<>(executor, consumed::add, 10);
        dispatcher.offer(1);

        dispatcher.close();

        assertThat(dispatcher.offer(2)).isFalse();
        executor.runAll();
        assertThat(consumed).isEmpty();
    }

    @Test
    void anExecutorThatWasShutDownLosesTheItemsWithoutThrowing() {
        SerialDispatcher<Integer> dispatcher = new SerialDispatcher<>(task -> {
            throw new RejectedExecutionException("shut down");
        }, consumed::add, 10);

        assertThatCode(() -> dispatcher.offer(1)).doesNotThrowAnyException();
        assertThat(consumed).isEmpty();
    }

    private static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }
}
