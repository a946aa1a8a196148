package dev.pigeon.ops.bench;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Appends per second of the embedded store for the write of one direct message: the log append,
 * then the two inbox appends in parallel, as the send pipeline does them. Each writer is a closed
 * loop on its own conversation between its own two users; writers run 1, 8 and 64 at a time, with
 * and without an fsync per write.
 *
 * <p>Usage: {@code StoreAppendBenchmark [seconds per run, default 10] [store threads, default the
 * store's default] [directory for the data, default the system temp directory]}.
 */
public final class StoreAppendBenchmark {
    private static final int[] WRITERS = {1, 8, 64};
    private static final Duration WARMUP = Duration.ofSeconds(3);
    private static final String BODY = "x".repeat(64);
    private static final int STORE_WRITES_PER_SEND = 3;

    private final Duration measured;
    private final int storeThreads;
    private final Path parent;

    private StoreAppendBenchmark(Duration measured, int storeThreads, Path parent) {
        this.measured = measured;
        this.storeThreads = storeThreads;
        this.parent = parent;
    }

    public static void main(String[] args) throws Exception {
        Duration measured = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : EmbeddedStoreOptions.defaults().executorThreads();
        Path parent = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
        new StoreAppendBenchmark(measured, threads, parent).run();
    }

    private void run() throws Exception {
        System.out.printf("Embedded store, direct-message send = 1 log append + 2 inbox appends, %d-byte body, "
                        + "%d store threads, %d s per run after %d s warm-up, %d cores, data under %s%n%n",
                BODY.length(), storeThreads, measured.toSeconds(), WARMUP.toSeconds(),
                Runtime.getRuntime().availableProcessors(), parent);
        System.out.println("| syncWrites | writers | sends/s | store appends/s | p50 ms | p99 ms | process CPU (cores) "
                + "| machine CPU busy | machine iowait |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (boolean sync : new boolean[] {true, false}) {
            for (int writers : WRITERS) {
                System.out.println(measure(sync, writers).row());
            }
        }
    }

    private Result measure(boolean sync, int writers) throws Exception {
        Path dir = Files.createTempDirectory(parent, "pigeon-store-bench-");
        EmbeddedStoreOptions options = EmbeddedStoreOptions.builder().syncWrites(sync).executorThreads(storeThreads).build();
        try (MessageStore store = EmbeddedMessageStore.open(dir, options)) {
            Recorder latencies = new Recorder(3);
            long warmupEnd = System.nanoTime() + WARMUP.toNanos();
            long end = warmupEnd + measured.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                threads.add(new Thread(new Writer(store, w, latencies, warmupEnd, end), "writer-" + w));
            }
            threads.forEach(Thread::start);
            TimeUnit.NANOSECONDS.sleep(warmupEnd - System.nanoTime());
            latencies.reset();
            CpuUsage.Mark start = CpuUsage.mark();
            TimeUnit.NANOSECONDS.sleep(end - System.nanoTime());
            CpuUsage cpu = CpuUsage.since(start);
            Histogram histogram = latencies.getIntervalHistogram();
            for (Thread thread : threads) {
                thread.join();
            }
            return new Result(sync, writers, histogram.getTotalCount() / (double) measured.toSeconds(), histogram, cpu);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** One closed-loop sender: alice-w writes to bob-w in their own conversation. */
    private record Writer(MessageStore store, int index, Recorder latencies, long warmupEnd, long end)
            implements Runnable {

        @Override
        public void run() {
            String alice = "alice-" + index;
            String bob = "bob-" + index;
            String conversation = "dm:" + alice + ":" + bob;
            for (long n = 0; ; n++) {
                long started = System.nanoTime();
                if (started >= end) {
                    return;
                }
                LogEntry entry = store.appendToLog(new MessageDraft(conversation, alice, "m" + n, BODY, null,
                        System.currentTimeMillis())).toCompletableFuture().join();
                CompletableFuture.allOf(
                        store.appendToInbox(alice, entry).toCompletableFuture(),
                        store.appendToInbox(bob, entry).toCompletableFuture()).join();
                long finished = System.nanoTime();
                if (started >= warmupEnd && finished <= end) {
                    latencies.recordValue(finished - started);
                }
            }
        }
    }

    private record Result(boolean sync, int writers, double sendsPerSecond, Histogram latency, CpuUsage cpu) {
        String row() {
            return String.format("| %s | %d | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.0f%% | %.0f%% |",
                    sync, writers, sendsPerSecond, sendsPerSecond * STORE_WRITES_PER_SEND,
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    cpu.processCores(), cpu.machineBusy() * 100, cpu.machineIoWait() * 100);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
