package dev.pigeon.ops.load;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Hands a driver's progress to a sink once a second, and on demand. */
final class ProgressTicker implements AutoCloseable {
    private final LoadDriver driver;
    private final Consumer<Progress> sink;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pigeon-load-progress");
        thread.setDaemon(true);
        return thread;
    });

    ProgressTicker(LoadDriver driver, Consumer<Progress> sink) {
        this.driver = driver;
        this.sink = sink;
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Reports the interval since the previous report now. */
    synchronized void tick() {
        sink.accept(driver.progress());
    }

    /** Runs {@code task} on the ticker's thread after {@code delayNanos}. */
    void schedule(Runnable task, long delayNanos) {
        timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
