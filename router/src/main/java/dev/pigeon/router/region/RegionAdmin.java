package dev.pigeon.router.region;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The operator's view and levers of regions, behind the admin API: status and lag, planned
 * re-homing of a user, failover of a lost region and reconciliation once it is back. Failures are
 * {@link dev.pigeon.protocol.ProtocolException}s (bad region name: {@code bad_request}; a move that
 * cannot proceed now: {@code unavailable}; a move raced by another: {@code conflict}).
 */
public interface RegionAdmin {

    /** Every known region, this one included. */
    CompletionStage<List<RegionStatus>> regions();

    /** Moves a user's home to {@code region} (planned: nothing lost or repeated); the home after the move. */
    CompletionStage<HomeMove> rehome(String user, String region);

    /** Declares {@code region} lost and re-homes its users and conversations here. */
    CompletionStage<FailoverReport> failover(String region);

    /** Finds what {@code region} acknowledged but never replicated before its failover, and appends it again here. */
    CompletionStage<ReconcileReport> reconcile(String region);

    /**
     * One region as seen from here.
     *
     * @param state     {@code active} or {@code lost}
     * @param healthy   a beat from one of its nodes arrived within the last few beats
     * @param lagMillis how far behind this data centre sees it (now minus its newest beat); 0 for
     *                  this region, null when it never beat
     */
    record RegionStatus(String region, String state, boolean healthy, List<String> nodes, Long lagMillis) {
        public RegionStatus {
            nodes = List.copyOf(nodes);
        }
    }

    record HomeMove(String user, String fromRegion, String toRegion, long epoch) {
    }

    /** What a failover moved and how long it took. */
    record FailoverReport(String region, String survivor, int usersMoved, int conversationsMoved, long tookMillis) {
    }

    /**
     * What reconciliation found: orphans (acknowledged in the lost region, missing here), those
     * appended again, those found already present (a client retry got through), and those it could
     * not append, each described.
     */
    record ReconcileReport(String region, int orphans, int recovered, int alreadyPresent, List<String> unrecovered) {
        public ReconcileReport {
            unrecovered = List.copyOf(unrecovered);
        }
    }
}
