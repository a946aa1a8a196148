package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadPlanTest {

    private static final List<URI> THREE_NODES = List.of(URI.create("ws://127.0.0.1:8080/v1/ws"),
            URI.create("ws://127.0.0.1:8081/v1/ws"), URI.create("ws://127.0.0.1:8082/v1/ws"));

    private static LoadPlan plan(int sessions, double rate) {
        return plan(List.of(URI.create("ws://127.0.0.1:8080/v1/ws")), sessions, rate);
    }

    private static LoadPlan plan(List<URI> urls, int sessions, double rate) {
        return new LoadPlan(urls, "r1", 0, sessions, rate, Duration.ofSeconds(30), Duration.ofSeconds(5), 64, 1000,
                "secret");
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

    @Test
    void putsTheTwoSessionsOfEveryPairOnDifferentNodes() {
        LoadPlan plan = plan(THREE_NODES, 1000, 100);

        for (int pair = 0; pair < 500; pair++) {
            assertThat(plan.url(2 * pair)).isNotEqualTo(plan.url(2 * pair + 1));
        }
        assertThat(List.of(plan.urlIndex(0), plan.urlIndex(1), plan.urlIndex(2), plan.urlIndex(3), plan.urlIndex(4),
                plan.urlIndex(5))).containsExactly(0, 1, 1, 2, 2, 0);
    }

    @Test
    void spreadsSessionsEvenlyOverTheNodesAndSaysHow() {
        assertThat(plan(THREE_NODES, 1000, 100).spread()).isEqualTo("333 sessions on ws://127.0.0.1:8080/v1/ws, "
                + "334 on ws://127.0.0.1:8081/v1/ws, 333 on ws://127.0.0.1:8082/v1/ws");
        assertThat(plan(THREE_NODES.subList(0, 2), 6, 10).spread())
                .isEqualTo("3 sessions on ws://127.0.0.1:8080/v1/ws, 3 on ws://127.0.0.1:8081/v1/ws");
    }

    @Test
    void keepsEveryoneOnTheOnlyGateway() {
        LoadPlan plan = plan(10, 10);

        assertThat(IntStream.range(0, 10).mapToObj(plan::url)).containsOnly(plan.urls().get(0));
    }

    @Test
    void sharesKeepTheNodesOfTheWholeRun() {
        List<LoadPlan> shares = plan(THREE_NODES, 12, 10).split(2);

        assertThat(shares).allSatisfy(share -> assertThat(share.urls()).isEqualTo(THREE_NODES));
        assertThat(shares.get(1).url(6)).isEqualTo(plan(THREE_NODES, 12, 10).url(6));
    }

    @Test
    void refusesANodeListedTwiceOrNotPlainWebSocket() {
        URI node = URI.create("ws://127.0.0.1:8080/v1/ws");
        assertThatThrownBy(() -> plan(List.of(node, node), 2, 1)).hasMessageContaining("twice");
        assertThatThrownBy(() -> plan(List.of(node, URI.create("wss://127.0.0.1:8443/v1/ws")), 2, 1))
                .hasMessageContaining("plain ws://");
        assertThatThrownBy(() -> plan(List.of(), 2, 1)).hasMessageContaining("at least one");
    }
}
