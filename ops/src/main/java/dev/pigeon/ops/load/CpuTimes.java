package dev.pigeon.ops.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine's CPU time from {@code /proc/stat}, in clock ticks summed over every core: busy
 * (user, nice, system, irq, softirq, steal) and total (busy plus idle and iowait).
 */
record CpuTimes(long busy, long total, int cores) {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    static CpuTimes read() throws IOException {
        return parse(Files.readAllLines(PROC_STAT));
    }

    /** Parses the lines of {@code /proc/stat}: the summary {@code cpu} line, and one per core. */
    static CpuTimes parse(List<String> lines) {
        String summary = lines.stream().filter(line -> line.startsWith("cpu "))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no cpu line in /proc/stat"));
        long cores = lines.stream().filter(line -> line.matches("cpu\\d+\\s.*")).count();
        String[] fields = summary.trim().split("\\s+");
        long user = Long.parseLong(fields[1]);
        long nice = Long.parseLong(fields[2]);
        long system = Long.parseLong(fields[3]);
        long idle = Long.parseLong(fields[4]);
        long iowait = fields.length > 5 ? Long.parseLong(fields[5]) : 0;
        long irq = fields.length > 6 ? Long.parseLong(fields[6]) : 0;
        long softirq = fields.length > 7 ? Long.parseLong(fields[7]) : 0;
        long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
        // guest time is already part of user time
        long busy = user + nice + system + irq + softirq + steal;
        return new CpuTimes(busy, busy + idle + iowait, (int) Math.max(1, cores));
    }

    /** The share of all cores busy since {@code earlier}, in percent (100 = every core busy). */
    double busyPercentSince(CpuTimes earlier) {
        long total = this.total - earlier.total;
        return total <= 0 ? 0 : 100.0 * (busy - earlier.busy) / total;
    }

    /** How many cores' worth of {@code processTicks} (a process's CPU ticks in the same interval) used. */
    double coresUsedSince(CpuTimes earlier, long processTicks) {
        long total = this.total - earlier.total;
        return total <= 0 ? 0 : (double) processTicks * cores / total;
    }
}
