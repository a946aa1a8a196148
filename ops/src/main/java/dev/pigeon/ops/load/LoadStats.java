package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The counters of one process's run, written by its event loops and read by its reporter. Running
 * totals feed the progress lines; the result counts only messages <em>scheduled</em> inside the
 * measurement window, so warm-up traffic and the tail still in flight at the end stay out of it.
 */
final class LoadStats {
    private static final Logger log = LoggerFactory.getLogger(LoadStats.class);

    private final int sessions;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder errorTotal = new LongAdder();
    private final LongAdder disconnectTotal = new LongAdder();
    private final LongAdder windowDispatched = new LongAdder();
    private final LongAdder windowSent = new LongAdder();
    private final LongAdder windowAcked = new LongAdder();
    private final LongAdder windowDelivered = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> disconnects = new ConcurrentHashMap<>();
    private final Recorder recentLatency = new Recorder(3);
    private final Recorder windowLatency = new Recorder(3);
    private final Recorder windowSendLag = new Recorder(3);

    private volatile boolean windowSet;
    private volatile long windowStart;
    private volatile long windowEnd;

    // read by the single reporter thread only
    private long lastReportNanos = System.nanoTime();
    private long reportedSent;
    private long reportedDelivered;
    private long reportedErrors;
    private long reportedDisconnects;

    LoadStats(int sessions) {
        this.sessions = sessions;
    }

    /** Counts messages scheduled from {@code startNanos} (inclusive) to {@code endNanos} (exclusive). */
    void measureBetween(long startNanos, long endNanos) {
        windowStart = startNanos;
        windowEnd = endNanos;
        windowSet = true;
    }

    void sessionOpened() {
        open.incrementAndGet();
        opened.incrementAndGet();
    }

    /** An open session closed; {@code closeCode} names why when the server did not expect it, else null. */
    void sessionClosed(String closeCode) {
        open.decrementAndGet();
        if (closeCode != null) {
            disconnectTotal.increment();
            disconnects.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
        }
    }

    /**
     * A message was handed to its session's event loop, which writes it (and calls {@link #sent})
     * later: counting it now keeps {@link #windowSettled} from judging the window before it is written.
     */
    void dispatched(long scheduledNanos) {
        if (inWindow(scheduledNanos)) {
            windowDispatched.increment();
        }
    }

    /** A message went out at {@code nowNanos}; how late that was shows the generator's own delay. */
    void sent(long scheduledNanos, long nowNanos) {
        sent.increment();
        if (inWindow(scheduledNanos)) {
            windowSent.increment();
            windowSendLag.recordValue(micros(nowNanos - scheduledNanos));
        }
    }

    void acked(long scheduledNanos) {
        if (inWindow(scheduledNanos)) {
            windowAcked.increment();
        }
    }

    void delivered(long scheduledNanos, long nowNanos) {
        long micros = micros(nowNanos - scheduledNanos);
        delivered.increment();
        recentLatency.recordValue(micros);
        if (inWindow(scheduledNanos)) {
            windowDelivered.increment();
            windowLatency.recordValue(micros);
        }
    }

    /** Counts an error; the first of each code is logged with its detail, the rest only counted. */
    void error(String code, Supplier<String> detail) {
        errorTotal.increment();
        errors.computeIfAbsent(code, c -> {
            log.warn("first {}: {}", c, detail.get());
            return new LongAdder();
        }).increment();
    }

    int open() {
        return open.get();
    }

    /** True once every message dispatched in the window has been written, acknowledged and delivered. */
    boolean windowSettled() {
        long dispatchedInWindow = windowDispatched.sum();
        return windowSent.sum() >= dispatchedInWindow && windowAcked.sum() >= dispatchedInWindow
                && windowDelivered.sum() >= dispatchedInWindow;
    }

    /** The interval since the previous call; one thread calls this. */
    Progress progress(Phase phase) {
        long now = System.nanoTime();
        long sentNow = sent.sum();
        long deliveredNow = delivered.sum();
        long errorsNow = errorTotal.sum();
        long disconnectsNow = disconnectTotal.sum();
        Histogram recent = recentLatency.getIntervalHistogram();
        Progress progress = new Progress(phase, (now - lastReportNanos) / 1e9,
                sessions, open.get(), sentNow - reportedSent, deliveredNow - reportedDelivered,
                errorsNow - reportedErrors, disconnectsNow - reportedDisconnects,
                recent.getTotalCount() == 0 ? 0 : recent.getValueAtPercentile(99) / 1000.0);
        lastReportNanos = now;
        reportedSent = sentNow;
        reportedDelivered = deliveredNow;
        reportedErrors = errorsNow;
        reportedDisconnects = disconnectsNow;
        return progress;
    }

    LoadResult result() {
        double seconds = windowSet ? (windowEnd - windowStart) / 1e9 : 0;
        return new LoadResult(sessions, opened.get(), seconds, windowSent.sum(), windowAcked.sum(),
                windowDelivered.sum(), sums(errors), sums(disconnects), windowLatency.getIntervalHistogram(),
                windowSendLag.getIntervalHistogram());
    }

    private static long micros(long nanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    private boolean inWindow(long nanos) {
        return windowSet && nanos - windowStart >= 0 && nanos - windowEnd < 0;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((key, counter) -> sums.put(key, counter.sum()));
        return sums;
    }
}
