package dev.pigeon.ops.regions;

import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class DrillTallyTest {
    private static final long LOSS = 30_000;

    private static DrillAck ack(String from, String id, long atMs, String region) {
        return new DrillAck(new DrillKey("dm:a:b", from, id), 1, 1, 0, atMs, region);
    }

    @Test
    void theRtoIsTheSlowestLostRegionUserToGetASendThroughTheSurvivor() {
        DrillTally tally = new DrillTally();
        tally.acked(ack("a", "m1", LOSS - 10, "us"));        // before the loss: does not count
        tally.acked(ack("a", "m2", LOSS + 4_000, "eu"));
        tally.acked(ack("a", "m3", LOSS + 9_000, "eu"));     // a later one: the first counts
        tally.acked(ack("b", "m1", LOSS + 7_500, "eu"));
        tally.acked(ack("c", "m1", LOSS + 60_000, "eu"));    // not a user of the lost region

        DrillRto rto = tally.rto(LOSS, "eu", List.of("a", "b"));

        assertThat(rto.rtoMs()).isEqualTo(7_500);
        assertThat(rto.byUser()).containsOnly(
                entry("a", 4_000L),
                entry("b", 7_500L));
        assertThat(rto.unrecovered()).isEmpty();
    }

    @Test
    void anAckThroughTheLostRegionAfterTheLossIsNoRecovery() {
        DrillTally tally = new DrillTally();
        tally.acked(ack("a", "m1", LOSS + 5, "us"));

        DrillRto rto = tally.rto(LOSS, "eu", List.of("a"));

        assertThat(rto.rtoMs()).isNull();
        assertThat(rto.unrecovered()).containsExactly("a");
    }

    @Test
    void aUserWhoNeverGotASendThroughLeavesTheRtoOpen() {
        DrillTally tally = new DrillTally();
        tally.acked(ack("a", "m1", LOSS + 1_000, "eu"));

        DrillRto rto = tally.rto(LOSS, "eu", List.of("a", "b"));

        assertThat(rto.rtoMs()).isNull();
        assertThat(rto.byUser()).containsOnlyKeys("a");
        assertThat(rto.unrecovered()).containsExactly("b");
    }

    @Test
    void aRepeatedSentIsTheSameMessageAckedOnceAtItsFirstAnswer() {
        DrillTally tally = new DrillTally();
        tally.acked(ack("a", "m1", 100, "us"));
        tally.acked(ack("a", "m1", 200, "eu"));
        tally.acked(ack("a", "m2", 300, "eu"));

        assertThat(tally.ackedCount()).isEqualTo(2);
        assertThat(tally.acked()).extracting(DrillAck::ackedAtMs).containsExactly(100L, 300L);
        assertThat(tally.ackedBefore(300)).extracting(a -> a.key().id()).containsExactly("m1");
    }

    @Test
    void aHomeIsJudgedByTheFirstHelloOnly() {
        DrillTally tally = new DrillTally();
        tally.hello(new DrillHello("a", "us", "us", "us", 1, 0));
        tally.hello(new DrillHello("a", "us", "eu", "eu", 2, 50));    // after the failover: moved, as it should
        tally.hello(new DrillHello("b", "eu", "eu", "us", 1, 0));

        assertThat(tally.homeMismatches()).containsExactly("b homed in us, not eu");
    }

    @Test
    void aMsgSeenAgainAfterAReconnectCountsOnceAsDistinct() {
        DrillTally tally = new DrillTally();
        Frame.Msg msg = new Frame.Msg(4, "dm:a:b", 2, "a", "m1", "hi", null, 0);
        tally.received("b", msg);
        tally.received("b", msg);
        tally.received("a", msg);

        assertThat(tally.received()).isEqualTo(3);
        assertThat(tally.receivedDistinct()).isEqualTo(2);
    }

    @Test
    void countsRetriesErrorsAndDisconnectsByReason() {
        DrillTally tally = new DrillTally();
        tally.retried("unavailable");
        tally.retried("unavailable");
        tally.retried("timeout");
        tally.error("forbidden");
        tally.disconnected("closed 1006");

        assertThat(tally.retries()).containsExactly(
                entry("timeout", 1L),
                entry("unavailable", 2L));
        assertThat(tally.errors()).containsOnlyKeys("forbidden");
        assertThat(tally.disconnects()).containsOnlyKeys("closed 1006");
    }
}
