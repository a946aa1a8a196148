package dev.pigeon.ops.regions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one drill does: lose region {@code lose} after {@code lossAt} of load, keep the load going
 * until {@code duration} in all, at {@code rate} messages per second across the users of
 * {@code pairs} pairs (one user homed in each region per pair).
 *
 * @param dir             where the deployment keeps its data and logs
 * @param runId           names this run's users and group, so runs never meet in one keyspace
 * @param servicesOptions more {@code ops/bin/services up} options: where the deployment's Redis and
 *                        Cassandra listen, beside servers on the default addresses
 * @param cutReplication  how long before the loss the survivor's data centre goes down (back at the
 *                        loss), so that what the lost region acknowledges meanwhile never replicates:
 *                        messages at risk, for reconciliation to recover; zero for none
 */
record DrillPlan(String lose, Duration duration, Duration lossAt, int pairs, double rate, Path dir, String runId,
                 List<String> servicesOptions, Duration cutReplication) {
    static final Duration LONGEST = Duration.ofHours(1);
    static final int MOST_PAIRS = 500;
    static final double HIGHEST_RATE = 2_000;

    DrillPlan {
        if (lose == null || lose.isBlank()) {
            throw new IllegalArgumentException("--lose needs the region to lose");
        }
        if (lossAt.isNegative() || lossAt.isZero() || lossAt.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--loss-at must be after the start and before --duration ("
                    + lossAt.toMillis() + " ms, " + duration.toMillis() + " ms)");
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("--duration must be at most 1h: a drill is bounded");
        }
        if (pairs < 1 || pairs > MOST_PAIRS) {
            throw new IllegalArgumentException("--pairs must be between 1 and " + MOST_PAIRS);
        }
        if (!(rate > 0) || rate > HIGHEST_RATE) {
            throw new IllegalArgumentException("--rate must be above 0 and at most " + (int) HIGHEST_RATE);
        }
        if (!runId.matches("[a-z0-9]{1,16}")) {
            throw new IllegalArgumentException("a run id is 1 to 16 lowercase letters and digits: " + runId);
        }
        if (cutReplication.isNegative() || cutReplication.compareTo(lossAt) >= 0) {
            throw new IllegalArgumentException("--cut-replication must be at least 0 and shorter than --loss-at");
        }
        servicesOptions = List.copyOf(servicesOptions);
    }

    /** A drill whose replication is never cut. */
    DrillPlan(String lose, Duration duration, Duration lossAt, int pairs, double rate, Path dir, String runId,
              List<String> servicesOptions) {
        this(lose, duration, lossAt, pairs, rate, dir, runId, servicesOptions, Duration.ZERO);
    }

    /** The region that stays: the first of {@code regions} other than the lost one. */
    String survivor(List<String> regions) {
        if (!regions.contains(lose)) {
            throw new IllegalArgumentException("--lose " + lose + " is none of the deployment's regions " + regions);
        }
        return regions.stream().filter(region -> !region.equals(lose)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a drill needs a second region to survive " + lose));
    }
}
