package dev.pigeon.ops.regions;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Waiting in the drill: for a condition, polled up to a deadline, or for a point of its schedule. */
final class DrillWait {

    private DrillWait() {
    }

    /** Polls {@code condition} every {@code every} until it holds (true) or {@code limit} has passed (false). */
    static boolean until(BooleanSupplier condition, Duration limit, Duration every) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(every.toMillis(), left / 1_000_000)));
        }
        return true;
    }

    /** Returns once {@code clock} (milliseconds) reaches {@code atMs}. */
    static void reach(LongSupplier clock, long atMs) throws InterruptedException {
        long left;
        while ((left = atMs - clock.getAsLong()) > 0) {
            Thread.sleep(left);
        }
    }
}
