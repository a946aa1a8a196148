package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;

/**
 * The timing of a fan-out's counted messages, in microseconds from the moment each was written.
 *
 * @param sent         counted messages sent
 * @param acked        of those, acknowledged with {@code sent}
 * @param refused      of those, refused with an {@code error}
 * @param reachedAll   of those, delivered to every member
 * @param deliveries   first copies delivered to the members other than the sender
 * @param seconds      from the first counted send to the last of those deliveries
 * @param busySeconds  of that, the time some message was in flight: each one's send to its last delivery
 * @param ackMicros    send to {@code sent}
 * @param firstMicros  send to the first other member's copy
 * @param lastMicros   send to the last member's copy (the fan-out time), for messages that reached every member
 * @param eachMicros   send to each other member's copy
 */
record FanoutTimes(int sent, int acked, int refused, int reachedAll, long deliveries, double seconds,
                   double busySeconds, Histogram ackMicros, Histogram firstMicros, Histogram lastMicros, Histogram eachMicros) {

    /** Over the whole span, pauses between messages included. */
    double deliveriesPerSecond() {
        return seconds > 0 ? deliveries / seconds : 0;
    }

    /** While a message was in flight: what the group's fan-out sustains, whatever the pace of sending. */
    double deliveriesPerBusySecond() {
        return busySeconds > 0 ? deliveries / busySeconds : 0;
    }
}
