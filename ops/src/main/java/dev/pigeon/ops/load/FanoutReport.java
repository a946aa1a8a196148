package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;

import java.util.stream.IntStream;

import static dev.pigeon.ops.load.LoadReport.line;
import static dev.pigeon.ops.load.LoadReport.millis;

/** The human-readable summary of a group fan-out run. */
final class FanoutReport {

    private FanoutReport() {
    }

    /** {@code memory} and {@code cpu} may be null when they could not be measured. */
    static String summary(FanoutPlan plan, FanoutResult result, GatewayMemory memory, CpuUse cpu) {
        StringBuilder out = new StringBuilder();
        FanoutTimes times = result.times();
        int receivers = plan.members() - 1;
        line(out, "summary     group %s: %d members asked, %d opened; %s sent %d messages after %d uncounted, "
                        + "one at a time (the next once the previous reached every member), at most one per %d ms, "
                        + "%d-byte bodies",
                plan.conversation(), result.members(), result.opened(), plan.userId(FanoutPlan.SENDER),
                plan.messages(), plan.warmupMessages(), plan.interval().toMillis(), plan.bodyBytes());
        if (plan.urls().size() > 1) {
            long elsewhere = IntStream.range(0, plan.members())
                    .filter(m -> plan.urlIndex(m) != plan.urlIndex(FanoutPlan.SENDER)).count();
            line(out, "nodes       %d: %s; the sender on %s, %d of its %d receivers on other nodes",
                    plan.urls().size(), plan.spread(), plan.url(FanoutPlan.SENDER), elsewhere, receivers);
        }
        line(out, "messages    sent %d, acked %d, refused %d; %d reached all %d receivers, %d did not within %d s",
                times.sent(), times.acked(), times.refused(), times.reachedAll(), receivers,
                times.sent() - times.reachedAll() - times.refused(), FanoutRun.MESSAGE_TIMEOUT.toSeconds());
        line(out, "deliveries  %d to the %d receivers in %.2f s from the first send to the last delivery: %.0f/s; "
                        + "%.0f/s while a message was in flight (%.2f s of it)",
                times.deliveries(), receivers, times.seconds(), times.deliveriesPerSecond(),
                times.deliveriesPerBusySecond(), times.busySeconds());
        percentiles(out, "acked      ", times.ackMicros(), "send to the sender's sent: durable in the log and every inbox");
        percentiles(out, "first      ", times.firstMicros(), "send to the first receiver's delivery");
        percentiles(out, "fan-out    ", times.lastMicros(), "send to the LAST receiver's delivery");
        Histogram each = times.eachMicros();
        line(out, "each        p50 %s  p99 %s  p99.9 %s  max %s ms (send to every receiver's delivery, %d of them)",
                millis(each.getValueAtPercentile(50)), millis(each.getValueAtPercentile(99)),
                millis(each.getValueAtPercentile(99.9)), millis(each.getMaxValue()), each.getTotalCount());
        FanoutCheck check = result.check();
        line(out, "check       %s: %d copies expected (%d acked messages, warm-up included, x %d members open "
                        + "throughout), %d missing, %d duplicated, %d out of order",
                verdict(check),
                check.expectedCopies(), check.messages(), check.members(), check.missing(), check.duplicates(),
                check.outOfOrder());
        line(out, "errors      %s", LoadReport.counts(result.errors()));
        line(out, "disconnects %s", LoadReport.counts(result.disconnects()));
        LoadReport.resources(out, memory, cpu, "while sending (warm-up included)");
        return out.toString();
    }

    private static String verdict(FanoutCheck check) {
        if (check.expectedCopies() == 0) {
            return "nothing to check, no message was acked";
        }
        return check.passed() ? "every member got every message exactly once, in order" : "FAILED";
    }

    private static void percentiles(StringBuilder out, String label, Histogram micros, String what) {
        line(out, "%s p50 %s  p99 %s  max %s ms (%s, over %d messages)", label,
                millis(micros.getValueAtPercentile(50)), millis(micros.getValueAtPercentile(99)),
                millis(micros.getMaxValue()), what, micros.getTotalCount());
    }
}
