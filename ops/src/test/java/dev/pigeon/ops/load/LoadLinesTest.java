package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadLinesTest {

    private static Histogram latencies(long... micros) {
        Histogram histogram = new Histogram(3);
        for (long value : micros) {
            histogram.recordValue(value);
        }
        return histogram;
    }

    @Test
    void aResultSurvivesItsLine() {
        LoadResult result = new LoadResult(500, 498, 30, 30_000, 29_990, 29_980,
                Map.of("rate_limited", 10L), Map.of("4000", 2L), latencies(900, 1200, 45_000), latencies(10, 20));

        String line = LoadLines.result(result);
        LoadResult read = LoadLines.parseResult(line).orElseThrow();

        assertThat(line).startsWith("pigeon-load-result {").doesNotContain("\n");
        assertThat(read).usingRecursiveComparison().ignoringFields("latencyMicros", "sendLagMicros").isEqualTo(result);
        assertThat(read.latencyMicros()).isEqualTo(result.latencyMicros());
        assertThat(read.sendLagMicros()).isEqualTo(result.sendLagMicros());
    }

    @Test
    void resultsOfSeveralProcessesAddUp() {
        LoadResult first = new LoadResult(500, 500, 30, 100, 100, 99, Map.of("rate_limited", 1L), Map.of(),
                latencies(1000, 2000), latencies(5));
        LoadResult second = new LoadResult(400, 398, 30, 80, 79, 80, Map.of("rate_limited", 2L, "unavailable", 1L),
                Map.of("no close frame", 1L), latencies(3000), latencies(7, 9));

        LoadResult total = LoadResult.combine(List.of(
                LoadLines.parseResult(LoadLines.result(first)).orElseThrow(),
                LoadLines.parseResult(LoadLines.result(second)).orElseThrow()));

        assertThat(total.sessions()).isEqualTo(900);
        assertThat(total.opened()).isEqualTo(898);
        assertThat(total.seconds()).isEqualTo(30);
        assertThat(total.sent()).isEqualTo(180);
        assertThat(total.acked()).isEqualTo(179);
        assertThat(total.delivered()).isEqualTo(179);
        assertThat(total.errors()).containsExactlyInAnyOrderEntriesOf(Map.of("rate_limited", 3L, "unavailable", 1L));
        assertThat(total.disconnects()).containsExactlyEntriesOf(Map.of("no close frame", 1L));
        assertThat(total.latencyMicros().getTotalCount()).isEqualTo(3);
        assertThat(total.latencyMicros().getMaxValue()).isEqualTo(total.latencyMicros().highestEquivalentValue(3000));
        assertThat(total.sendLagMicros().getTotalCount()).isEqualTo(3);
    }

    @Test
    void progressLinesSurviveAndCombine() {
        Progress a = new Progress(Phase.MEASURING, 1, 500, 500, 1000, 990, 0, 0, 3.5);
        Progress b = new Progress(Phase.WARMING_UP, 0.9, 400, 399, 800, 800, 2, 1, 7.25);

        Progress total = Progress.combine(List.of(
                LoadLines.parseProgress(LoadLines.progress(a)).orElseThrow(),
                LoadLines.parseProgress(LoadLines.progress(b)).orElseThrow()));

        assertThat(total).isEqualTo(new Progress(Phase.WARMING_UP, 1, 900, 899, 1800, 1790, 2, 1, 7.25));
    }

    @Test
    void otherLinesAreNotReports() {
        assertThat(LoadLines.parseResult("12:00:01 WARN something")).isEmpty();
        assertThat(LoadLines.parseProgress(LoadLines.result(new LoadResult(2, 2, 1, 0, 0, 0, Map.of(), Map.of(),
                new Histogram(3), new Histogram(3))))).isEmpty();
    }

    @Test
    void aBrokenReportIsAnError() {
        assertThatThrownBy(() -> LoadLines.parseResult("pigeon-load-result {\"sessions\":"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadLines.parseResult("pigeon-load-result {\"latencyMicros\":\"not base64!\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
