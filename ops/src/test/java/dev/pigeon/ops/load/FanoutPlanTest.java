package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FanoutPlanTest {
    private static final List<URI> THREE_NODES = List.of(URI.create("ws://127.0.0.1:8080/v1/ws"),
            URI.create("ws://127.0.0.1:8081/v1/ws"), URI.create("ws://127.0.0.1:8082/v1/ws"));

    private static FanoutPlan plan(int members, int warmup, int messages, Duration interval) {
        return new FanoutPlan(THREE_NODES, "r1", members, warmup, messages, interval, 64, 1000, "secret");
    }

    @Test
    void spreadsTheMembersRoundRobinOverTheNodes() {
        FanoutPlan plan = plan(500, 5, 50, Duration.ofMillis(100));

        assertThat(List.of(plan.url(0), plan.url(1), plan.url(2), plan.url(3)))
                .containsExactly(THREE_NODES.get(0), THREE_NODES.get(1), THREE_NODES.get(2), THREE_NODES.get(0));
        assertThat(plan.spread()).isEqualTo("167 members on ws://127.0.0.1:8080/v1/ws, "
                + "167 on ws://127.0.0.1:8081/v1/ws, 166 on ws://127.0.0.1:8082/v1/ws");
    }

    @Test
    void theSenderCreatesTheGroupAndInvitesEveryoneElse() {
        FanoutPlan plan = plan(500, 5, 50, Duration.ofMillis(100));

        assertThat(plan.group()).isEqualTo("load-r1");
        assertThat(plan.conversation()).isEqualTo("g:load-r1");
        assertThat(plan.invitees()).hasSize(499).doesNotContain(plan.userId(FanoutPlan.SENDER))
                .contains("load-r1-1", "load-r1-499");
        assertThat(plan.totalMessages()).isEqualTo(55);
    }

    @Test
    void refusesAFanOutItCannotRun() {
        assertThatThrownBy(() -> plan(1, 0, 5, Duration.ZERO)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> plan(10, 0, 0, Duration.ZERO)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> plan(10, -1, 5, Duration.ZERO)).hasMessageContaining("negative");
        assertThatThrownBy(() -> plan(10, 0, 5, Duration.ofMillis(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> plan(20_000, 0, 1_000, Duration.ZERO)).hasMessageContaining("members x messages");
    }
}
