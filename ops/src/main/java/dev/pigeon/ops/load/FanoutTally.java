package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * The bookkeeping of a group fan-out: for every message, when it was sent and acknowledged, how
 * many copies each member got and when, and whether it has settled (acknowledged and delivered to
 * every member, or refused). Written by the members' event loops, read by the sending thread.
 * Messages are numbered from 0; their client ids are those numbers. The sender's own copy counts
 * for exactly-once but not for the timing: the fan-out is to the other members.
 */
final class FanoutTally {
    private static final long UNSET = Long.MIN_VALUE;

    private final int members;
    private final int messages;
    private final int firstCounted;
    private final int sender;
    /** Copies member m got of message i, at {@code m * messages + i}. */
    private final AtomicIntegerArray copies;
    /** Per member, the newest message it got a first copy of; -1 before any. */
    private final AtomicIntegerArray newest;
    private final AtomicLongArray sentNanos;
    private final AtomicLongArray ackedNanos;
    private final AtomicLongArray firstNanos;
    private final AtomicLongArray lastNanos;
    /** Per message, the members other than the sender holding a copy. */
    private final AtomicIntegerArray receivers;
    /** Per message, the ack plus every member's first copy still awaited. */
    private final AtomicIntegerArray outstanding;
    private final AtomicIntegerArray refused;
    private final AtomicReferenceArray<CompletableFuture<Void>> settled;
    private final LongAdder outOfOrder = new LongAdder();
    private final Recorder eachMicros = new Recorder(3);

    /**
     * @param members      group members, the sender included
     * @param messages     messages of the run, warm-up included
     * @param firstCounted the first message that counts for the timing (those before warm up)
     * @param sender       the member who sends
     */
    FanoutTally(int members, int messages, int firstCounted, int sender) {
        this.members = members;
        this.messages = messages;
        this.firstCounted = firstCounted;
        this.sender = sender;
        this.copies = new AtomicIntegerArray(Math.multiplyExact(members, messages));
        this.newest = new AtomicIntegerArray(members);
        for (int m = 0; m < members; m++) {
            newest.set(m, -1);
        }
        this.sentNanos = unset(messages);
        this.ackedNanos = unset(messages);
        this.firstNanos = unset(messages);
        this.lastNanos = unset(messages);
        this.receivers = new AtomicIntegerArray(messages);
        this.outstanding = new AtomicIntegerArray(messages);
        this.refused = new AtomicIntegerArray(messages);
        this.settled = new AtomicReferenceArray<>(messages);
    }

    private static AtomicLongArray unset(int length) {
        AtomicLongArray array = new AtomicLongArray(length);
        for (int i = 0; i < length; i++) {
            array.set(i, UNSET);
        }
        return array;
    }

    /** The message a client id names, or -1 when it names none of this run's. */
    int messageOf(String id) {
        try {
            int message = Integer.parseInt(id);
            return message >= 0 && message < messages && sentNanos.get(message) != UNSET ? message : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Message {@code message} is about to be written, at {@code nanos}; call before writing it. */
    void sent(int message, long nanos) {
        settled.set(message, new CompletableFuture<>());
        outstanding.set(message, members + 1);
        sentNanos.set(message, nanos);
    }

    /** The sender's {@code sent} for {@code message} arrived; repeats are ignored. */
    void acked(int message, long nanos) {
        if (ackedNanos.compareAndSet(message, UNSET, nanos)) {
            countDown(message);
        }
    }

    /** The server refused {@code message} (an {@code error} about it): nothing more will come of it. */
    void refused(int message) {
        refused.set(message, 1);
        settled.get(message).complete(null);
    }

    /** Member {@code member} got a copy of {@code message} at {@code nanos}. */
    void delivered(int member, int message, long nanos) {
        if (copies.incrementAndGet(member * messages + message) != 1) {
            return;
        }
        if (newest.getAndAccumulate(member, message, Math::max) > message) {
            outOfOrder.increment();
        }
        if (member != sender) {
            receivers.incrementAndGet(message);
            firstNanos.accumulateAndGet(message, nanos, (a, b) -> a == UNSET ? b : Math.min(a, b));
            lastNanos.accumulateAndGet(message, nanos, Math::max);
            if (message >= firstCounted) {
                eachMicros.recordValue(micros(nanos - sentNanos.get(message)));
            }
        }
        countDown(message);
    }

    private void countDown(int message) {
        if (outstanding.decrementAndGet(message) == 0) {
            settled.get(message).complete(null);
        }
    }

    /** Completes once {@code message} was acknowledged and reached every member, or was refused. */
    CompletableFuture<Void> settled(int message) {
        return settled.get(message);
    }

    /** The timing of the counted messages; call once, after the run. */
    FanoutTimes times() {
        Histogram ack = new Histogram(3);
        Histogram first = new Histogram(3);
        Histogram last = new Histogram(3);
        int sent = 0;
        int refusals = 0;
        int reachedAll = 0;
        long deliveries = 0;
        long busyNanos = 0;
        long start = UNSET;
        long end = UNSET;
        for (int i = firstCounted; i < messages; i++) {
            long sentAt = sentNanos.get(i);
            if (sentAt == UNSET) {
                continue;
            }
            sent++;
            start = start == UNSET ? sentAt : start;
            refusals += refused.get(i);
            if (ackedNanos.get(i) != UNSET) {
                ack.recordValue(micros(ackedNanos.get(i) - sentAt));
            }
            deliveries += receivers.get(i);
            if (receivers.get(i) > 0) {
                first.recordValue(micros(firstNanos.get(i) - sentAt));
                end = Math.max(end, lastNanos.get(i));
                busyNanos += lastNanos.get(i) - sentAt;
            }
            if (receivers.get(i) == members - 1) {
                reachedAll++;
                last.recordValue(micros(lastNanos.get(i) - sentAt));
            }
        }
        double seconds = start == UNSET || end == UNSET ? 0 : (end - start) / 1e9;
        return new FanoutTimes(sent, (int) ack.getTotalCount(), refusals, reachedAll, deliveries, seconds,
                busyNanos / 1e9, ack, first, last, eachMicros.getIntervalHistogram());
    }

    /**
     * Exactly once, over every acknowledged message (warm-up included) and the members
     * {@code checked} accepts (those whose session stayed open throughout: a member that was not
     * connected could not get its copies live). Duplicates are counted for every member.
     */
    FanoutCheck check(IntPredicate checked) {
        int ackedMessages = 0;
        for (int i = 0; i < messages; i++) {
            if (ackedNanos.get(i) != UNSET) {
                ackedMessages++;
            }
        }
        int checkedMembers = 0;
        long missing = 0;
        long duplicates = 0;
        for (int m = 0; m < members; m++) {
            boolean counts = checked.test(m);
            checkedMembers += counts ? 1 : 0;
            for (int i = 0; i < messages; i++) {
                int got = copies.get(m * messages + i);
                duplicates += Math.max(0, got - 1);
                if (counts && got == 0 && ackedNanos.get(i) != UNSET) {
                    missing++;
                }
            }
        }
        return new FanoutCheck(ackedMessages, checkedMembers, missing, duplicates, outOfOrder.sum());
    }

    private static long micros(long nanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
    }
}
