package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadPlanTest {

    private static LoadPlan plan(int sessions, double rate) {
        return new LoadPlan(URI.create("ws://127.0.0.1:8080/v1/ws"), "r1", 0, sessions, rate, Duration.ofSeconds(30),
                Duration.ofSeconds(5), 64, 1000, "secret");
    }

    @Test
    void splitsIntoWholePairsCoveringEverySessionOnce() {
        List<LoadPlan> shares = plan(19_000, 0).split(3);

        assertThat(shares).extracting(LoadPlan::sessions).containsExactly(6334, 6334, 6332);
        assertThat(shares).extracting(LoadPlan::firstSession).containsExactly(0, 6334, 12668);
        assertThat(shares).allSatisfy(share -> assertThat(share.firstSession() % 2).isZero());
    }

    @Test
    void splitsRatesInProportionToSessions() {
        List<LoadPlan> shares = plan(1000, 2000).split(4);

        assertThat(shares).extracting(LoadPlan::sessions).containsExactly(250, 250, 250, 250);
        assertThat(shares.stream().mapToDouble(LoadPlan::rate).sum()).isEqualTo(2000.0);
        assertThat(shares.stream().mapToDouble(LoadPlan::connectRate).sum()).isEqualTo(1000.0);
    }

    @Test
    void neverSplitsIntoMoreProcessesThanPairs() {
        assertThat(plan(4, 10).split(8)).extracting(LoadPlan::sessions).containsExactly(2, 2);
    }

    @Test
    void keepsAnOddIdleSessionInTheLastShare() {
        List<LoadPlan> shares = plan(7, 0).split(2);

        assertThat(shares).extracting(LoadPlan::sessions).containsExactly(4, 3);
        assertThat(shares.get(1).firstSession()).isEqualTo(4);
    }

    @Test
    void refusesAnOddNumberOfChattingSessions() {
        assertThatThrownBy(() -> plan(7, 10)).hasMessageContaining("pairs");
    }

    @Test
    void pairsNeighbouringUsers() {
        LoadPlan plan = plan(4, 10);
        assertThat(plan.userId(2)).isEqualTo("load-r1-2");
        assertThat(plan.userId(2 ^ 1)).isEqualTo("load-r1-3");
    }
}
