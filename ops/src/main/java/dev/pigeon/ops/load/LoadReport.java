package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable summary of a pair run, and the lines every summary shares. */
final class LoadReport {
    private static final double MIB = 1024.0 * 1024.0;

    private LoadReport() {
    }

    /** {@code memory} and {@code cpu} may be null when they could not be measured. */
    static String summary(LoadPlan plan, LoadResult result, GatewayMemory memory, CpuUse cpu) {
        StringBuilder out = new StringBuilder();
        line(out, "summary     %d sessions asked, %d opened; %s", result.sessions(), result.opened(),
                plan.idle()
                        ? String.format(Locale.ROOT, "idle, held %.0f s", result.seconds())
                        : String.format(Locale.ROOT, "%.0f s measured after %d s warm-up at %.0f msg/s asked, %d-byte bodies",
                        result.seconds(), plan.warmup().toSeconds(), plan.rate(), plan.bodyBytes()));
        if (plan.urls().size() > 1) {
            line(out, "nodes       %d: %s; the two sessions of each pair on different nodes, so every delivery "
                    + "to the peer crosses the node bus", plan.urls().size(), plan.spread());
        }
        if (!plan.idle()) {
            double seconds = Math.max(result.seconds(), 1e-9);
            line(out, "messages    sent %d (%.0f/s), acked %d, delivered %d (%.0f/s), %d not delivered",
                    result.sent(), result.sent() / seconds, result.acked(), result.delivered(),
                    result.delivered() / seconds, result.sent() - result.delivered());
            Histogram latency = result.latencyMicros();
            line(out, "latency     p50 %s  p99 %s  p99.9 %s  max %s ms (send-to-deliver, from the scheduled send time)",
                    millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(99)),
                    millis(latency.getValueAtPercentile(99.9)), millis(latency.getMaxValue()));
            Histogram lag = result.sendLagMicros();
            line(out, "send lag    p99 %s  max %s ms (how late the generator itself sent: part of the latency above)",
                    millis(lag.getValueAtPercentile(99)), millis(lag.getMaxValue()));
        }
        line(out, "errors      %s", counts(result.errors()));
        line(out, "disconnects %s", counts(result.disconnects()));
        resources(out, memory, cpu, plan.idle() ? "while holding" : "during the measured window");
        return out.toString();
    }

    /** The gateways' memory and the machine's CPU {@code when}; either may be null when not measured. */
    static void resources(StringBuilder out, GatewayMemory memory, CpuUse cpu, String when) {
        if (memory != null) {
            line(out, "gateway     %s%s: RSS %.1f MiB before, %.1f MiB with %d sessions open: %.1f KiB per session",
                    memory.processes(), memory.nodes() > 1 ? " (" + memory.nodes() + " nodes together)" : "",
                    memory.beforeBytes() / MIB, memory.afterBytes() / MIB, memory.openSessions(),
                    memory.bytesPerSession() / 1024);
        } else {
            line(out, "gateway     memory not measured (no --gateway-pid, and no process found listening on the port)");
        }
        if (cpu != null) {
            line(out, "cpu         machine %.0f%% busy of %d cores %s: %sload generator %.2f cores, everything else %.2f cores",
                    cpu.machineBusyPercent(), cpu.cores(), when,
                    cpu.gatewayCores() < 0 ? ""
                            : cpu.gateways() > 1
                            ? String.format(Locale.ROOT, "gateways (%d nodes) %.2f cores, ", cpu.gateways(), cpu.gatewayCores())
                            : String.format(Locale.ROOT, "gateway %.2f cores, ", cpu.gatewayCores()),
                    cpu.generatorCores(), cpu.otherCores());
        }
    }

    /** Microseconds as milliseconds with two decimals. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** {@code none}, or the total and each count by name. */
    static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return total + " (" + counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
