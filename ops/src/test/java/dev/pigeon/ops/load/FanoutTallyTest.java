package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FanoutTallyTest {
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000;

    /** Four members, member 0 sends; message 0 warms up, messages 1 and 2 count. */
    private final FanoutTally tally = new FanoutTally(4, 3, 1, 0);

    private void deliverToAll(int message, long at) {
        for (int member = 0; member < 4; member++) {
            tally.delivered(member, message, at);
        }
    }

    @Test
    void aMessageSettlesOnceAckedAndHeldByEveryMemberTheSenderIncluded() {
        tally.sent(1, T0);
        tally.acked(1, T0 + MS);
        tally.delivered(1, 1, T0 + 2 * MS);
        tally.delivered(2, 1, T0 + 2 * MS);
        tally.delivered(3, 1, T0 + 2 * MS);

        assertThat(tally.settled(1)).isNotDone();
        tally.delivered(0, 1, T0 + 3 * MS);
        assertThat(tally.settled(1)).isDone();
    }

    @Test
    void repeatsDoNotSettleAMessage() {
        tally.sent(1, T0);
        tally.acked(1, T0);
        tally.acked(1, T0);
        for (int i = 0; i < 3; i++) {
            tally.delivered(1, 1, T0);
            tally.delivered(2, 1, T0);
        }

        assertThat(tally.settled(1)).isNotDone();
    }

    @Test
    void aRefusedMessageSettlesAndCounts() {
        tally.sent(1, T0);
        tally.refused(1);

        assertThat(tally.settled(1)).isDone();
        assertThat(tally.times().refused()).isEqualTo(1);
    }

    @Test
    void timesRunFromTheSendToTheFirstAndLastReceiverLeavingOutTheSendersOwnCopyAndTheWarmUp() {
        tally.sent(0, T0 - 100 * MS);
        deliverToAll(0, T0 - 50 * MS);
        tally.sent(1, T0);
        tally.delivered(0, 1, T0 + MS);
        tally.delivered(1, 1, T0 + 2 * MS);
        tally.acked(1, T0 + 3 * MS);
        tally.delivered(2, 1, T0 + 5 * MS);
        tally.delivered(3, 1, T0 + 9 * MS);

        FanoutTimes times = tally.times();

        assertThat(times.sent()).isEqualTo(1);
        assertThat(times.acked()).isEqualTo(1);
        assertThat(times.reachedAll()).isEqualTo(1);
        assertThat(times.deliveries()).isEqualTo(3);
        assertThat(times.ackMicros().getMaxValue()).isEqualTo(times.ackMicros().highestEquivalentValue(3000));
        assertThat(times.firstMicros().getMaxValue()).isEqualTo(times.firstMicros().highestEquivalentValue(2000));
        assertThat(times.lastMicros().getMaxValue()).isEqualTo(times.lastMicros().highestEquivalentValue(9000));
        assertThat(times.eachMicros().getTotalCount()).isEqualTo(3);
        assertThat(times.seconds()).isCloseTo(0.009, within(1e-12));
        assertThat(times.deliveriesPerSecond()).isCloseTo(333.3, within(0.1));
        assertThat(times.busySeconds()).isCloseTo(0.009, within(1e-12));
    }

    @Test
    void theBusyTimeLeavesOutThePausesBetweenMessages() {
        for (int message = 1; message < 3; message++) {
            long sentAt = T0 + message * 100 * MS;
            tally.sent(message, sentAt);
            deliverToAll(message, sentAt + 10 * MS);
        }

        FanoutTimes times = tally.times();

        assertThat(times.seconds()).isCloseTo(0.110, within(1e-9));
        assertThat(times.busySeconds()).isCloseTo(0.020, within(1e-9));
        assertThat(times.deliveriesPerBusySecond()).isCloseTo(300.0, within(1e-6));
    }

    @Test
    void aMessageThatMissedAReceiverHasNoFanOutTime() {
        tally.sent(1, T0);
        tally.delivered(1, 1, T0 + MS);
        tally.delivered(2, 1, T0 + 2 * MS);

        FanoutTimes times = tally.times();

        assertThat(times.reachedAll()).isZero();
        assertThat(times.lastMicros().getTotalCount()).isZero();
        assertThat(times.firstMicros().getTotalCount()).isEqualTo(1);
        assertThat(times.deliveries()).isEqualTo(2);
    }

    @Test
    void everyMemberGettingEveryAckedMessageOncePasses() {
        for (int message = 0; message < 3; message++) {
            tally.sent(message, T0 + message * MS);
            tally.acked(message, T0 + message * MS);
            deliverToAll(message, T0 + message * MS + 1);
        }

        FanoutCheck check = tally.check(member -> true);

        assertThat(check).isEqualTo(new FanoutCheck(3, 4, 0, 0, 0));
        assertThat(check.expectedCopies()).isEqualTo(12);
        assertThat(check.passed()).isTrue();
    }

    @Test
    void countsMissingCopiesOfAckedMessagesForCheckedMembersOnly() {
        tally.sent(0, T0);
        tally.acked(0, T0);
        tally.delivered(0, 0, T0);
        tally.delivered(1, 0, T0);
        // members 2 and 3 miss message 0; member 3 was not open throughout, so only member 2 counts
        tally.sent(1, T0 + MS);
        // message 1 was never acked: it may rightly have reached no one

        FanoutCheck check = tally.check(member -> member != 3);

        assertThat(check.messages()).isEqualTo(1);
        assertThat(check.members()).isEqualTo(3);
        assertThat(check.missing()).isEqualTo(1);
        assertThat(check.passed()).isFalse();
    }

    @Test
    void countsEveryRepeatAsADuplicate() {
        tally.sent(0, T0);
        tally.acked(0, T0);
        deliverToAll(0, T0);
        tally.delivered(2, 0, T0 + MS);
        tally.delivered(2, 0, T0 + 2 * MS);
        tally.delivered(0, 0, T0 + 2 * MS);

        FanoutCheck check = tally.check(member -> true);

        assertThat(check.duplicates()).isEqualTo(3);
        assertThat(check.missing()).isZero();
    }

    @Test
    void countsACopyThatCameAfterALaterMessageAsOutOfOrder() {
        tally.sent(0, T0);
        tally.sent(1, T0 + MS);
        tally.delivered(1, 1, T0 + 2 * MS);
        tally.delivered(1, 0, T0 + 3 * MS);
        tally.delivered(2, 0, T0 + 3 * MS);
        tally.delivered(2, 1, T0 + 4 * MS);

        assertThat(tally.check(member -> true).outOfOrder()).isEqualTo(1);
    }

    @Test
    void knowsOnlyTheIdsOfMessagesItSent() {
        tally.sent(0, T0);

        assertThat(tally.messageOf("0")).isZero();
        assertThat(tally.messageOf("1")).as("not sent yet").isEqualTo(-1);
        assertThat(tally.messageOf("3")).isEqualTo(-1);
        assertThat(tally.messageOf("-1")).isEqualTo(-1);
        assertThat(tally.messageOf("1700000000000")).isEqualTo(-1);
        assertThat(tally.messageOf("m1")).isEqualTo(-1);
        assertThat(tally.messageOf(null)).isEqualTo(-1);
    }
}
