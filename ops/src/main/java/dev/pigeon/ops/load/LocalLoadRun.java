package dev.pigeon.ops.load;

import dev.pigeon.ops.ClientTokens;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a load plan's sessions in this process. */
final class LocalLoadRun implements LoadDriver {
    /** How long sessions may take to settle after the last one started connecting. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long messages sent in the window may take to arrive after it closed. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final long DRAIN_POLL_MILLIS = 20;

    private final LoadPlan plan;
    private final LoadStats stats;
    private final LoadClient client;
    private final List<LoadSession> sessions;
    private final CountDownLatch settled;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Pacer connectPacer;
    private final Pacer sendPacer;

    private volatile Phase phase = Phase.CONNECTING;
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private boolean closed;

    LocalLoadRun(LoadPlan plan) {
        this.plan = plan;
        this.stats = new LoadStats(plan.sessions());
        this.client = new LoadClient();
        this.settled = new CountDownLatch(plan.sessions());
        this.connectPacer = new Pacer(new FixedRateSchedule(plan.connectRate(), plan.sessions()), Pacer.SYSTEM);
        this.sendPacer = plan.idle() ? null
                : new Pacer(new FixedRateSchedule(plan.rate(), plan.sessions()), Pacer.SYSTEM);
        // the tokens must outlive connecting, warm-up, window and drain, whatever the connect rate
        Duration tokenLifetime = plan.warmup().plus(plan.duration()).plus(Duration.ofHours(1))
                .plusSeconds((long) (plan.sessions() / plan.connectRate()));
        ClientTokens tokens = new ClientTokens(plan.jwtSecret(), tokenLifetime, Clock.systemUTC());
        MessageBody body = new MessageBody(plan.bodyBytes());
        this.sessions = new ArrayList<>(plan.sessions());
        for (int i = 0; i < plan.sessions(); i++) {
            int n = plan.firstSession() + i;
            String user = plan.userId(n);
            sessions.add(new LoadSession(user, plan.userId(n ^ 1), tokens.mint(user), plan.url(n), body, stats,
                    settled::countDown));
        }
    }

    @Override
    public int connect() throws InterruptedException {
        phase = Phase.CONNECTING;
        connectPacer.run(System.nanoTime(), Long.MAX_VALUE, sessions.size(),
                (index, slot, due) -> sessions.get(slot).connect(client));
        settled.await(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        phase = Phase.READY;
        return stats.open();
    }

    @Override
    public LoadResult run() throws InterruptedException {
        long start = System.nanoTime();
        if (plan.idle()) {
            long end = start + plan.duration().toNanos();
            stats.measureBetween(start, end);
            phase = Phase.HOLDING;
            stopped.await(plan.duration().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            long windowStart = start + plan.warmup().toNanos();
            long windowEnd = windowStart + plan.duration().toNanos();
            stats.measureBetween(windowStart, windowEnd);
            measureFromNanos = windowStart;
            phase = Phase.WARMING_UP;
            sendPacer.run(start, windowEnd - start, Long.MAX_VALUE,
                    (index, slot, due) -> sessions.get(slot).send(due));
            phase = Phase.DRAINING;
            drain();
        }
        phase = Phase.DONE;
        return stats.result();
    }

    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!stats.windowSettled() && System.nanoTime() - deadline < 0) {
            if (stopped.await(DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    @Override
    public List<LinuxProcess> processes() {
        return List.of(new LinuxProcess(ProcessHandle.current().pid()));
    }

    @Override
    public Progress progress() {
        Phase now = phase;
        if (now == Phase.WARMING_UP && System.nanoTime() - measureFromNanos >= 0) {
            now = Phase.MEASURING;
        }
        return stats.progress(now);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped.countDown();
        connectPacer.stop();
        if (sendPacer != null) {
            sendPacer.stop();
        }
        sessions.forEach(LoadSession::ending);
        client.close();
    }
}
