package dev.pigeon.ops.regions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a drill found, for a person ({@link #summary()}) and as JSON ({@link #json()}, snake_case keys).
 * Times in {@code timeline} are milliseconds since the load started.
 *
 * @param acked          messages acknowledged by a {@code sent}
 * @param unacked        messages still without one when the drill ended (not checked: never promised)
 * @param lossAtS        when the region was lost, after the load started: it counts as lost once its
 *                       nodes are killed and its data centre and Redis stopped (timeline: nodes_killed, loss)
 * @param rtoMs          the longest time a user of the lost region could not get a send through, from the
 *                       loss; null when one never did
 * @param atRisk         messages acknowledged before the loss that the survivor did not show right after
 *                       the failover
 * @param failoverTookMs how long the failover request took to answer
 * @param failover       the failover's answer, or {@code {"error": ...}}
 * @param reconcile      what reconciliation answered
 * @param check          the final check of every acknowledged message
 * @param homeMismatches users whose first {@code hello} named another home than their first contact's region
 */
record DrillReport(
        String startedAt, String regionLost, String survivor, int users, int pairs, List<String> groupMembers,
        double rate, double durationS, double lossAtS,
        long acked, long unacked, long received, long receivedDistinct,
        Long rtoMs, Map<String, Long> rtoByUser, List<String> rtoUnrecovered,
        long atRisk, long failoverTookMs, long failoverAnsweredAfterLossMs, JsonNode failover,
        @JsonUnwrapped DrillReconcile reconcile,
        @JsonUnwrapped DrillCheckResult check,
        List<String> homeMismatches, Map<String, Long> retries, Map<String, Long> errors,
        Map<String, Long> disconnects, Map<String, Long> timeline) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Nothing acknowledged was lost or repeated, the failover and the reconciliation both answered. */
    @JsonProperty("passed")
    public boolean passed() {
        return check.passed() && reconcile.answered() && !failover.has("error");
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the drill report cannot be written as JSON", e);
        }
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json() + System.lineSeparator());
    }

    String summary() {
        StringBuilder out = new StringBuilder();
        line(out, "drill       lost %s at %.1f s of %.1f s of load, survivor %s; %d users (%d pairs, a group of %d), "
                        + "%.0f msg/s; started %s",
                regionLost, lossAtS, durationS, survivor, users, pairs, groupMembers.size(), rate, startedAt);
        line(out, "messages    acked %d, unacked at the end %d; received %d msg frames (%d distinct)",
                acked, unacked, received, receivedDistinct);
        line(out, "rto         %s", rtoMs != null
                ? String.format(Locale.ROOT, "%d ms: the slowest of %d users of %s to get a send through %s after the loss",
                        rtoMs, rtoByUser.size(), regionLost, survivor)
                : String.format(Locale.ROOT, "none: %d of the users of %s never got a send through %s (%s)",
                        rtoUnrecovered.size(), regionLost, survivor, String.join(", ", rtoUnrecovered)));
        line(out, "failover    answered %d ms after the loss, took %d ms: %s", failoverAnsweredAfterLossMs,
                failoverTookMs, compact(failover));
        line(out, "at risk     %d messages acked before the loss were not visible through %s right after the failover",
                atRisk, survivor);
        line(out, "reconcile   %s", reconcile.answered()
                ? String.format(Locale.ROOT, "%s orphans, %s recovered, %s already present, %d not recovered%s",
                        reconcile.orphans(), reconcile.recovered(), reconcile.alreadyPresent(),
                        reconcile.unrecovered().size(), reconcile.unrecovered().isEmpty() ? ""
                                : ": " + String.join("; ", reconcile.unrecovered()))
                : "FAILED: " + reconcile.reconcileError());
        line(out, "check       %s: %d acked messages read back through %s: %d lost (%d missing from their history, "
                        + "%d inbox copies missing), %d duplicates, %d order violations, %d seq gaps, %d conv_seq gaps, "
                        + "%d inbox positions differing from the history",
                check.passed() ? "PASSED" : "FAILED", check.checked(), survivor, check.lost(),
                check.missingFromHistory(), check.missingInboxCopies(), check.duplicates(), check.orderViolations(),
                check.seqGaps(), check.convSeqGaps(), check.positionMismatches());
        line(out, "homes       %s", homeMismatches.isEmpty() ? "every user homed in the region it first connected to"
                : homeMismatches.size() + " not: " + String.join("; ", homeMismatches));
        line(out, "retries     %s", counts(retries));
        line(out, "errors      %s", counts(errors));
        line(out, "disconnects %s", counts(disconnects));
        line(out, "timeline    %s", timeline.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey().replace('_', ' '), e.getValue() / 1000.0))
                .collect(Collectors.joining(", ")));
        line(out, "verdict     %s", passed() ? "PASSED" : "FAILED");
        return out.toString();
    }

    private static String compact(JsonNode node) {
        return node == null ? "{}" : node.toString();
    }

    private static String counts(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return total == 0 ? "none" : total + " (" + counts.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
