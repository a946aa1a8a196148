package dev.pigeon.ops.load;

import java.util.concurrent.locks.LockSupport;

/**
 * Runs the events of a {@link FixedRateSchedule} at their due times on the calling thread. Open
 * loop: an event runs at its due time whatever happened to earlier ones, and a pacer that fell
 * behind runs every overdue event at once, each still stamped with its due time, so a slow system
 * shows up as latency instead of as a lower rate (no coordinated omission).
 */
final class Pacer {

    /** Time as the pacer sees it; {@link #SYSTEM} in production, a fake one in tests. */
    interface Clock {
        long nanoTime();

        void parkNanos(long nanos);
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkNanos(long nanos) {
            LockSupport.parkNanos(nanos);
        }
    };

    /** One due event: its index, its slot and the {@link System#nanoTime()} it was due at. */
    @FunctionalInterface
    interface Event {
        void run(long index, int slot, long dueNanos);
    }

    private final FixedRateSchedule schedule;
    private final Clock clock;
    private volatile boolean stopped;

    Pacer(FixedRateSchedule schedule, Clock clock) {
        this.schedule = schedule;
        this.clock = clock;
    }

    /**
     * Runs events due before {@code startNanos + spanNanos}, at most {@code maxEvents} of them,
     * returning how many ran; returns early after {@link #stop()}.
     */
    long run(long startNanos, long spanNanos, long maxEvents, Event event) {
        long index = 0;
        while (index < maxEvents && !stopped) {
            long offset = schedule.offsetNanos(index);
            if (offset >= spanNanos) {
                break;
            }
            long due = startNanos + offset;
            long wait = due - clock.nanoTime();
            if (wait > 0) {
                clock.parkNanos(wait);
                continue;
            }
            event.run(index, schedule.slot(index), due);
            index++;
        }
        return index;
    }

    void stop() {
        stopped = true;
    }
}
