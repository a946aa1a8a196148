package dev.pigeon.ops.regions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DrillReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode FAILOVER = JsonNodeFactory.instance.objectNode()
            .put("region", "us").put("survivor", "eu").put("users_moved", 20).put("conversations_moved", 11)
            .put("took_ms", 840);
    private static final JsonNode RECONCILED = JsonNodeFactory.instance.objectNode()
            .put("region", "us").put("orphans", 3).put("recovered", 2).put("already_present", 1)
            .set("unrecovered", JsonNodeFactory.instance.arrayNode());

    private static DrillReport report(DrillCheckResult check, JsonNode failover, JsonNode reconcile) {
        return new DrillReport("2026-11-24T10:00:00Z", "us", "eu", 40, 20, List.of("a", "b"), 20, 90, 30,
                1790, 0, 3600, 3580, 4200L, Map.of("a", 4200L), List.of(), 3, 840, 6100, failover,
                DrillReconcile.of(reconcile), check, List.of(), Map.of("unavailable", 12L), Map.of(),
                Map.of("closed 1006", 20L), Map.of("loss", 30_000L));
    }

    private static DrillCheckResult clean() {
        return new DrillCheckResult(1790, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void theJsonHasEveryFieldTheDrillPromises() throws Exception {
        JsonNode json = JSON.readTree(report(clean(), FAILOVER, RECONCILED).json());

        assertThat(json.fieldNames()).toIterable().contains("duration_s", "acked", "rto_ms", "at_risk", "recovered",
                "lost", "duplicates", "region_lost", "survivor", "users", "rate", "failover_took_ms", "orphans",
                "already_present", "unrecovered", "order_violations", "seq_gaps", "started_at", "passed");
        assertThat(json.get("duration_s").asDouble()).isEqualTo(90);
        assertThat(json.get("rto_ms").asLong()).isEqualTo(4200);
        assertThat(json.get("recovered").asLong()).isEqualTo(2);
        assertThat(json.get("failover").get("users_moved").asInt()).isEqualTo(20);
        assertThat(json.has("reconcile_error")).isFalse();
        assertThat(json.has("check")).as("the check's counts sit at the top").isFalse();
        assertThat(json.get("passed").asBoolean()).isTrue();
    }

    @Test
    void lostOrDuplicatedMessagesFailTheDrill() {
        assertThat(report(new DrillCheckResult(1790, 1, 1, 2, 0, 0, 0, 0, 0), FAILOVER, RECONCILED).passed()).isFalse();
        assertThat(report(new DrillCheckResult(1790, 0, 0, 0, 1, 0, 0, 0, 0), FAILOVER, RECONCILED).passed()).isFalse();
    }

    @Test
    void aFailedFailoverOrReconciliationFailsTheDrillAndSaysWhy() throws Exception {
        JsonNode refused = JsonNodeFactory.instance.objectNode().put("error", "POST ... answered 404");

        DrillReport noReconcile = report(clean(), FAILOVER, refused);
        JsonNode json = JSON.readTree(noReconcile.json());

        assertThat(noReconcile.passed()).isFalse();
        assertThat(json.get("recovered").isNull()).isTrue();
        assertThat(json.get("reconcile_error").asText()).contains("404");
        assertThat(noReconcile.summary()).contains("reconcile   FAILED: POST ... answered 404");
        assertThat(report(clean(), refused, RECONCILED).passed()).isFalse();
    }

    @Test
    void theSummaryGivesTheNumbersInLines() {
        String summary = report(clean(), FAILOVER, RECONCILED).summary();

        assertThat(summary)
                .contains("lost us at 30.0 s of 90.0 s of load, survivor eu; 40 users (20 pairs, a group of 2)")
                .contains("messages    acked 1790, unacked at the end 0")
                .contains("rto         4200 ms: the slowest of 1 users of us to get a send through eu")
                .contains("failover    answered 6100 ms after the loss, took 840 ms")
                .contains("at risk     3 messages acked before the loss")
                .contains("reconcile   3 orphans, 2 recovered, 1 already present, 0 not recovered")
                .contains("check       PASSED: 1790 acked messages")
                .contains("retries     12 (unavailable: 12)")
                .contains("errors      none")
                .contains("timeline    loss 30.0 s")
                .contains("verdict     PASSED");
    }

    @Test
    void anRtoThatNeverEndedNamesTheUsers() {
        DrillReport report = new DrillReport("t", "us", "eu", 2, 1, List.of(), 20, 90, 30, 1, 0, 1, 1, null,
                Map.of(), List.of("a"), 0, 1, 1, FAILOVER, DrillReconcile.of(RECONCILED), clean(), List.of(),
                Map.of(), Map.of(), Map.of(), Map.of());

        assertThat(report.summary()).contains("rto         none: 1 of the users of us never got a send through eu (a)");
    }

    @Test
    void writesTheJsonToAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports/drill.json");

        report(clean(), FAILOVER, RECONCILED).write(file);

        assertThat(JSON.readTree(Files.readString(file)).get("acked").asLong()).isEqualTo(1790);
    }
}
