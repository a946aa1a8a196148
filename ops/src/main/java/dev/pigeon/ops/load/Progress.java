package dev.pigeon.ops.load;

import java.util.List;
import java.util.Locale;

/**
 * What a run did during one progress interval: counts within the interval, sessions open at its
 * end, and the p99 send-to-deliver latency of the deliveries it saw (0 when none).
 */
record Progress(Phase phase, double intervalSeconds, int sessions, int open,
                long sent, long delivered, long errors, long disconnects, double p99Millis) {

    /** Several processes' intervals as one: counts add up; the p99 shown is the worst of them. */
    static Progress combine(List<Progress> parts) {
        Progress total = parts.get(0);
        for (Progress p : parts.subList(1, parts.size())) {
            total = new Progress(Phase.earliest(total.phase, p.phase),
                    Math.max(total.intervalSeconds, p.intervalSeconds),
                    total.sessions + p.sessions, total.open + p.open, total.sent + p.sent,
                    total.delivered + p.delivered, total.errors + p.errors, total.disconnects + p.disconnects,
                    Math.max(total.p99Millis, p.p99Millis));
        }
        return total;
    }

    /** One human-readable line, stamped with the seconds since the run started. */
    String describe(double elapsedSeconds) {
        double seconds = Math.max(intervalSeconds, 1e-3);
        return String.format(Locale.ROOT,
                "[%5.0fs] %-10s open %d/%d  sent %.0f/s  delivered %.0f/s  p99 %.1f ms  errors %d  disconnects %d",
                elapsedSeconds, phase.label(), open, sessions, sent / seconds, delivered / seconds, p99Millis,
                errors, disconnects);
    }
}
