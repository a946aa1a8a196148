package dev.pigeon.ops.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one process of a load run does: sessions {@code firstSession .. firstSession + sessions - 1}
 * of run {@code runId}, paired 2k with 2k+1, sending {@code rate} messages per second in total
 * (0: idle, the sessions are only held open). With several gateway URLs (the nodes of one
 * cluster), the two sessions of every pair sit on different nodes: see {@link #urlIndex}.
 */
record LoadPlan(List<URI> urls, String runId, int firstSession, int sessions, double rate, Duration duration,
                Duration warmup, int bodyBytes, double connectRate, String jwtSecret) {

    LoadPlan {
        urls = GatewayUrls.require(urls);
        if (sessions < 1) {
            throw new IllegalArgumentException("a run needs at least one session");
        }
        if (firstSession % 2 != 0) {
            throw new IllegalArgumentException("a share must start at the first user of a pair");
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be 0 (idle) or positive");
        }
        if (rate > 0 && sessions % 2 != 0) {
            throw new IllegalArgumentException("sessions chat in pairs: give an even number of sessions");
        }
        if (!(connectRate > 0)) {
            throw new IllegalArgumentException("connect rate must be positive");
        }
    }

    boolean idle() {
        return rate == 0;
    }

    /** The user id of session {@code n} (counted over the whole run). */
    String userId(int n) {
        return "load-" + runId + "-" + n;
    }

    /**
     * The index of the URL session {@code n} connects to: pair k puts session 2k on node
     * {@code k mod N} and session 2k+1 on node {@code (k+1) mod N}, so with two nodes or more the
     * peers of every pair are on different nodes (every delivery crosses the node bus), and the
     * sessions spread evenly.
     */
    int urlIndex(int n) {
        return (n / 2 + n % 2) % urls.size();
    }

    URI url(int n) {
        return urls.get(urlIndex(n));
    }

    /** How the sessions of this plan spread over its URLs, for the report. */
    String spread() {
        int[] counts = new int[urls.size()];
        for (int n = firstSession; n < firstSession + sessions; n++) {
            counts[urlIndex(n)]++;
        }
        return GatewayUrls.spread(urls, counts, "sessions");
    }

    /**
     * Splits the run over {@code processes} processes, each with whole pairs, so that the sender
     * and the receiver of every message share a clock; rates are split in proportion to sessions.
     * Asking for more processes than there are pairs gives one process per pair.
     */
    List<LoadPlan> split(int processes) {
        int pairs = (sessions + 1) / 2;
        int parts = Math.max(1, Math.min(processes, pairs));
        List<LoadPlan> shares = new ArrayList<>(parts);
        int next = firstSession;
        for (int part = 0; part < parts; part++) {
            int sharePairs = pairs / parts + (part < pairs % parts ? 1 : 0);
            int shareSessions = Math.min(sharePairs * 2, firstSession + sessions - next);
            double fraction = (double) shareSessions / sessions;
            shares.add(new LoadPlan(urls, runId, next, shareSessions, rate * fraction, duration, warmup, bodyBytes,
                    connectRate * fraction, jwtSecret));
            next += shareSessions;
        }
        return shares;
    }
}
