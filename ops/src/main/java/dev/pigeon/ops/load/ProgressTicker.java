package dev.pigeon.ops.load;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Hands a run's progress to a sink once a second, and on demand. */
final class ProgressTicker implements AutoCloseable {
    private final Supplier<Progress> source;
    private final Consumer<Progress> sink;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pigeon-load-progress");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code source} gives the progress since its previous call; only the ticker calls it. */
    ProgressTicker(Supplier<Progress> source, Consumer<Progress> sink) {
        this.source = source;
        this.sink = sink;
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Reports the interval since the previous report now. */
    synchronized void tick() {
        sink.accept(source.get());
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
