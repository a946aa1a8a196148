package dev.pigeon.ops.regions;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two users a and b; a sent m1 and m2 in dm:a:b, b sent m1 back. Each test starts from the
 * consistent read-back and breaks one thing.
 */
class DrillCheckTest {
    private static final String DM = "dm:a:b";
    private static final Map<String, List<String>> MEMBERS = Map.of(DM, List.of("a", "b"));

    private final List<DrillAck> acked = new ArrayList<>(List.of(
            ack("a", "m1", 1), ack("a", "m2", 2), ack("b", "m1", 3)));
    private final Map<String, List<LogEntry>> histories = new HashMap<>(Map.of(DM, new ArrayList<>(List.of(
            log(3, "b", "m1"), log(2, "a", "m2"), log(1, "a", "m1")))));
    private final Map<String, List<Frame.Msg>> inboxes = new HashMap<>(Map.of(
            "a", new ArrayList<>(List.of(msg(1, 1, "a", "m1"), msg(2, 2, "a", "m2"), msg(3, 3, "b", "m1"))),
            "b", new ArrayList<>(List.of(msg(1, 1, "a", "m1"), msg(2, 2, "a", "m2"), msg(3, 3, "b", "m1")))));

    private static DrillAck ack(String from, String id, long convSeq) {
        return new DrillAck(new DrillKey(DM, from, id), convSeq, convSeq, 0, convSeq, "eu");
    }

    private static LogEntry log(long convSeq, String from, String id) {
        return new LogEntry(DM, convSeq, from, id, "body", null, 0);
    }

    private static Frame.Msg msg(long seq, long convSeq, String from, String id) {
        return new Frame.Msg(seq, DM, convSeq, from, id, "body", null, 0);
    }

    private DrillCheckResult check() {
        return DrillCheck.check(acked, MEMBERS, histories, inboxes);
    }

    @Test
    void aConsistentReadBackPasses() {
        assertThat(check()).isEqualTo(new DrillCheckResult(3, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(check().passed()).isTrue();
    }

    @Test
    void anAckedMessageMissingFromItsHistoryIsLost() {
        histories.get(DM).remove(0);   // b's m1, the newest

        DrillCheckResult result = check();

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.missingFromHistory()).isEqualTo(1);
        assertThat(result.passed()).isFalse();
    }

    @Test
    void anAckedMessageMissingFromOneMembersInboxIsLost() {
        inboxes.get("b").remove(2);

        DrillCheckResult result = check();

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.missingFromHistory()).isZero();
        assertThat(result.missingInboxCopies()).isEqualTo(1);
    }

    @Test
    void aMessageMissingEverywhereIsLostOnceButMissesEveryCopy() {
        histories.get(DM).remove(0);
        inboxes.get("a").remove(2);
        inboxes.get("b").remove(2);

        DrillCheckResult result = check();

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.missingInboxCopies()).isEqualTo(2);
    }

    @Test
    void aSecondCopyInAHistoryIsADuplicate() {
        histories.get(DM).add(0, log(4, "a", "m1"));

        DrillCheckResult result = check();

        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.lost()).isZero();
        assertThat(result.passed()).isFalse();
    }

    @Test
    void aSecondCopyInAnInboxIsADuplicate() {
        inboxes.get("a").add(msg(4, 4, "a", "m2"));

        assertThat(check().duplicates()).isEqualTo(1);
    }

    @Test
    void aMessageNeverAckedIsNotLostAndMayBeAnywhere() {
        histories.get(DM).add(0, log(4, "a", "m3"));

        DrillCheckResult result = check();

        assertThat(result.checked()).isEqualTo(3);
        assertThat(result.lost()).isZero();
        assertThat(result.duplicates()).isZero();
    }

    @Test
    void aSkippedInboxPositionIsASeqGap() {
        inboxes.put("a", List.of(msg(1, 1, "a", "m1"), msg(3, 2, "a", "m2"), msg(4, 3, "b", "m1")));

        assertThat(check().seqGaps()).isEqualTo(1);
    }

    @Test
    void aSkippedConversationPositionIsAConvSeqGap() {
        histories.put(DM, List.of(log(4, "b", "m1"), log(2, "a", "m2"), log(1, "a", "m1")));

        DrillCheckResult result = check();

        assertThat(result.convSeqGaps()).isEqualTo(1);
        assertThat(result.positionMismatches()).isEqualTo(2);   // both inboxes hold b's m1 at conv_seq 3
    }

    @Test
    void anInboxShowingAConversationOutOfOrderIsAViolation() {
        inboxes.put("b", List.of(msg(1, 1, "a", "m1"), msg(2, 3, "b", "m1"), msg(3, 2, "a", "m2")));

        assertThat(check().orderViolations()).isEqualTo(1);
    }

    @Test
    void twoEntriesAtOnePositionAreAViolation() {
        histories.get(DM).add(log(1, "a", "m9"));

        assertThat(check().orderViolations()).isEqualTo(1);
    }

    @Test
    void atRiskCountsAckedMessagesTheHistoriesDoNotShow() {
        Map<String, List<LogEntry>> afterFailover = Map.of(DM, List.of(log(1, "a", "m1")));

        assertThat(DrillCheck.atRisk(acked, afterFailover)).isEqualTo(2);
        assertThat(DrillCheck.atRisk(acked, histories)).isZero();
    }
}
