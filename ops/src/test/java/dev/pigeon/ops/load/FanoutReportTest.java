package dev.pigeon.ops.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutReportTest {
    private static final FanoutPlan PLAN = new FanoutPlan(
            List.of(URI.create("ws://127.0.0.1:8080/v1/ws"), URI.create("ws://127.0.0.1:8081/v1/ws")),
            "r1", 4, 1, 2, Duration.ofMillis(100), 64, 100, "secret");

    private static Histogram micros(long... values) {
        Histogram histogram = new Histogram(3);
        for (long value : values) {
            histogram.recordValue(value);
        }
        return histogram;
    }

    private static String summary(FanoutTimes times, FanoutCheck check, Map<String, Long> errors) {
        return FanoutReport.summary(PLAN, new FanoutResult(4, 4, times, check, errors, Map.of()), null, null);
    }

    @Test
    void reportsTheFanOutTimesAndAPassedCheck() {
        FanoutTimes times = new FanoutTimes(2, 2, 0, 2, 6, 0.25, 0.02, micros(4000, 5000), micros(1000, 2000),
                micros(9000, 11000), micros(1000, 2000, 3000, 5000, 9000, 11000));

        String out = summary(times, new FanoutCheck(3, 4, 0, 0, 0), Map.of());

        assertThat(out)
                .contains("nodes       2: 2 members on ws://127.0.0.1:8080/v1/ws, 2 on ws://127.0.0.1:8081/v1/ws; "
                        + "the sender on ws://127.0.0.1:8080/v1/ws, 2 of its 3 receivers on other nodes")
                .contains("messages    sent 2, acked 2, refused 0; 2 reached all 3 receivers, 0 did not within 10 s")
                .contains("deliveries  6 to the 3 receivers in 0.25 s from the first send to the last delivery: 24/s; "
                        + "300/s while a message was in flight (0.02 s of it)")
                .containsPattern("fan-out +p50 9\\.[0-9]+ +p99 11\\.[0-9]+ +max 11\\.[0-9]+ ms")
                .contains("check       every member got every message exactly once, in order: 12 copies expected")
                .contains("errors      none")
                .contains("gateway     memory not measured");
    }

    @Test
    void saysPlainlyWhenTheCheckFailed() {
        FanoutTimes times = new FanoutTimes(2, 2, 0, 1, 5, 0.25, 0.02, micros(4000, 5000), micros(1000, 2000),
                micros(9000), micros(1000, 2000, 3000, 5000, 9000));

        assertThat(summary(times, new FanoutCheck(3, 4, 1, 2, 0), Map.of()))
                .contains("check       FAILED: 12 copies expected (3 acked messages, warm-up included, x 4 members open "
                        + "throughout), 1 missing, 2 duplicated, 0 out of order");
    }

    @Test
    void aRunWhoseEverySendWasRefusedHasNothingToCheck() {
        FanoutTimes times = new FanoutTimes(2, 0, 2, 0, 0, 0, 0, micros(), micros(), micros(), micros());

        assertThat(summary(times, new FanoutCheck(0, 4, 0, 0, 0), Map.of("unavailable", 3L)))
                .contains("messages    sent 2, acked 0, refused 2")
                .contains("check       nothing to check, no message was acked")
                .contains("errors      3 (unavailable: 3)");
    }
}
