package dev.pigeon.storage.cassandra;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.MessageDraft;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rough throughput of direct-message sends (one log append and two inbox appends) against the
 * Cassandra named by {@code PIGEON_TEST_CASSANDRA}, in a keyspace of its own that is dropped at the
 * end. Each writer sends, waits for the three appends, and sends again, between random pairs of
 * a pool of users. Prints sends per second, latency and the machine's CPU use per writer count.
 *
 * <p>Arguments: writer counts (default {@code 8,64}), seconds per run (default 20), users (default 1000).
 */
public final class CassandraAppendBench {
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    private CassandraAppendBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> writerCounts = args.length > 0
                ? List.of(args[0].split(",")).stream().map(Integer::parseInt).toList() : List.of(8, 64);
        Duration run = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        try (TestKeyspace keyspace = TestKeyspace.create();
             CassandraMessageStore store = CassandraMessageStore.connect(keyspace.options())) {
            System.out.printf("dm sends (log + 2 inboxes) against %s, %d users, %d cores%n",
                    keyspace.options().contactPoints(), users, Runtime.getRuntime().availableProcessors());
            for (int writers : writerCounts) {
                measure(store, writers, users, WARM_UP);
                Result result = measure(store, writers, users, run);
                System.out.printf("writers=%d sends/s=%.0f appends/s=%.0f latency ms p50=%.1f p99=%.1f max=%.1f"
                                + " machine CPU=%.0f%%%n", writers, result.sendsPerSecond(), 3 * result.sendsPerSecond(),
                        result.latency().getValueAtPercentile(50) / 1e6, result.latency().getValueAtPercentile(99) / 1e6,
                        result.latency().getMaxValue() / 1e6, result.cpu() * 100);
            }
        }
    }

    private record Result(double sendsPerSecond, Histogram latency, double cpu) {
    }

    private static Result measure(CassandraMessageStore store, int writers, int users, Duration run)
            throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Recorder latency = new Recorder(3);
        AtomicLong sends = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(writers);
        long deadline = System.nanoTime() + run.toNanos();
        latency.getIntervalHistogram();
        os.getCpuLoad();
        long began = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            sendUntil(store, users, deadline, latency, sends, failures, done);
        }
        double cpuSum = 0;
        int samples = 0;
        while (!done.await(1, TimeUnit.SECONDS)) {
            cpuSum += os.getCpuLoad();
            samples++;
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (failures.get() > 0) {
            System.out.printf("  %d sends failed%n", failures.get());
        }
        return new Result(sends.get() / seconds, latency.getIntervalHistogram(), samples == 0 ? 0 : cpuSum / samples);
    }

    private static void sendUntil(CassandraMessageStore store, int users, long deadline, Recorder latency,
                                  AtomicLong sends, AtomicLong failures, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        long start = System.nanoTime();
        dmSend(store, users).whenComplete((ignored, error) -> {
            if (error == null) {
                latency.recordValue(System.nanoTime() - start);
                sends.incrementAndGet();
            } else {
                failures.incrementAndGet();
            }
            sendUntil(store, users, deadline, latency, sends, failures, done);
        });
    }

    private static CompletionStage<Void> dmSend(CassandraMessageStore store, int users) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String a = "u" + random.nextInt(users);
        String b = "u" + random.nextInt(users);
        String conversation = a.compareTo(b) <= 0 ? "dm:" + a + ":" + b : "dm:" + b + ":" + a;
        String id = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        MessageDraft draft = new MessageDraft(conversation, a, id, "hello " + id, null, System.currentTimeMillis());
        return store.appendToLog(draft).thenCompose((LogEntry entry) -> CompletableFuture.allOf(
                store.appendToInbox(a, entry).toCompletableFuture(),
                store.appendToInbox(b, entry).toCompletableFuture()));
    }
}
