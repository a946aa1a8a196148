package dev.pigeon.ops.load;

/**
 * Events at a fixed rate, handed round-robin to a number of slots: event {@code i} is due
 * {@code i / rate} seconds after the start and belongs to slot {@code i mod slots}. Every slot
 * thus gets an event every {@code slots / rate} seconds, staggered against its neighbours, so the
 * total rate is even in time and across slots.
 */
final class FixedRateSchedule {
    private final double intervalNanos;
    private final int slots;

    FixedRateSchedule(double perSecond, int slots) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a positive number, not " + perSecond);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("a schedule needs at least one slot");
        }
        this.intervalNanos = 1e9 / perSecond;
        this.slots = slots;
    }

    /** When event {@code index} is due, in nanoseconds after the start. */
    long offsetNanos(long index) {
        return Math.round(index * intervalNanos);
    }

    /** The slot event {@code index} belongs to. */
    int slot(long index) {
        return (int) (index % slots);
    }
}
