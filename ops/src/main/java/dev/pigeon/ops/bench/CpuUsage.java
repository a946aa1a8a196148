package dev.pigeon.ops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU use between two points in time: this process (in cores) and the whole machine (share of all
 * cores busy, and share waiting on disk), from the JVM and {@code /proc/stat}.
 */
record CpuUsage(double processCores, double machineBusy, double machineIoWait) {

    /** A reading to measure from. */
    record Mark(long wallNanos, long processCpuNanos, long[] machineTicks) {
    }

    static Mark mark() {
        return new Mark(System.nanoTime(), processCpuNanos(), machineTicks());
    }

    static CpuUsage since(Mark start) {
        Mark end = mark();
        double wall = end.wallNanos() - start.wallNanos();
        long[] delta = new long[end.machineTicks().length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = end.machineTicks()[i] - start.machineTicks()[i];
        }
        double total = Math.max(1, Arrays.stream(delta).sum());
        // /proc/stat "cpu" columns: user nice system idle iowait irq softirq steal ...
        long idle = delta[3];
        long ioWait = delta[4];
        return new CpuUsage((end.processCpuNanos() - start.processCpuNanos()) / wall,
                (total - idle - ioWait) / total, ioWait / total);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return Arrays.stream(line.trim().split("\\s+")).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }
}
