package dev.pigeon.ops.regions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What reconciliation answered ({@code POST /admin/regions/{region}/reconcile}): orphans found,
 * recovered (appended again in the new home), already present (a client retry got through), and
 * those it could not append. Every count is null, and {@code reconcileError} says why, when it failed.
 */
record DrillReconcile(Long orphans, Long recovered, Long alreadyPresent, List<String> unrecovered,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String reconcileError) {

    /** Reads an answer, or the {@code {"error": ...}} that stands for none. */
    static DrillReconcile of(JsonNode answer) {
        if (answer.has("error")) {
            return new DrillReconcile(null, null, null, List.of(), answer.get("error").asText());
        }
        List<String> unrecovered = new ArrayList<>();
        answer.path("unrecovered").forEach(item -> unrecovered.add(item.asText()));
        return new DrillReconcile(count(answer, "orphans"), count(answer, "recovered"),
                count(answer, "already_present"), List.copyOf(unrecovered), null);
    }

    private static Long count(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        return value != null && value.canConvertToLong() ? value.asLong() : null;
    }

    boolean answered() {
        return reconcileError == null;
    }
}
