package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a load run, counted over the measurement window: messages scheduled in it that
 * were sent, acknowledged ({@code sent}) and delivered to the peer, their send-to-deliver latency in
 * microseconds, how late the generator itself put them on the wire (its send lag, in
 * microseconds: a large one means the generator, not the gateway, was short of CPU), and over the
 * whole run the errors by code and the unexpected disconnects by close code. One process writes it as its result line; the parent adds the lines up with {@link #combine}.
 *
 * @param sessions sessions asked for
 * @param opened sessions that got their {@code hello}
 * @param seconds length of the measurement window
 */
record LoadResult(int sessions, int opened, double seconds, long sent, long acked, long delivered,
                  Map<String, Long> errors, Map<String, Long> disconnects, Histogram latencyMicros,
                  Histogram sendLagMicros) {

    LoadResult {
        errors = Map.copyOf(errors);
        disconnects = Map.copyOf(disconnects);
        latencyMicros = latencyMicros.copy();
        sendLagMicros = sendLagMicros.copy();
    }

    /** The results of several processes as one run. */
    static LoadResult combine(List<LoadResult> parts) {
        int sessions = 0;
        int opened = 0;
        double seconds = 0;
        long sent = 0;
        long acked = 0;
        long delivered = 0;
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> disconnects = new TreeMap<>();
        Histogram latency = new Histogram(3);
        Histogram sendLag = new Histogram(3);
        for (LoadResult part : parts) {
            sessions += part.sessions;
            opened += part.opened;
            seconds = Math.max(seconds, part.seconds);
            sent += part.sent;
            acked += part.acked;
            delivered += part.delivered;
            part.errors.forEach((code, count) -> errors.merge(code, count, Long::sum));
            part.disconnects.forEach((code, count) -> disconnects.merge(code, count, Long::sum));
            latency.add(part.latencyMicros);
            sendLag.add(part.sendLagMicros);
        }
        return new LoadResult(sessions, opened, seconds, sent, acked, delivered, errors, disconnects, latency,
                sendLag);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long disconnectCount() {
        return disconnects.values().stream().mapToLong(Long::longValue).sum();
    }
}
