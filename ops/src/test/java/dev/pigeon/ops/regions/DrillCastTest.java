package dev.pigeon.ops.regions;

import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.UserId;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrillCastTest {
    private final DrillCast cast = DrillCast.of("r1", 4, "us", "eu");

    @Test
    void everyPairHasOneUserHomedInEachRegion() {
        assertThat(cast.users()).hasSize(8).allSatisfy(user -> {
            assertThat(UserId.isValid(user.name())).as(user.name()).isTrue();
            assertThat(user.name()).endsWith("-" + user.home());
            assertThat(cast.user(user.peer()).home()).isNotEqualTo(user.home());
            assertThat(cast.user(user.peer()).peer()).isEqualTo(user.name());
        });
        assertThat(cast.homedIn("us")).hasSize(4);
        assertThat(cast.homedIn("eu")).hasSize(4);
    }

    @Test
    void directConversationsAreHomedInBothRegions() {
        // a direct conversation is homed with its first member
        List<String> homes = cast.conversations().keySet().stream()
                .filter(conversation -> conversation.startsWith("dm:"))
                .map(conversation -> cast.user(ConversationId.parse(conversation).directMembers().get(0)).home())
                .toList();

        assertThat(homes).hasSize(4).containsOnly("us", "eu").contains("us", "eu");
    }

    @Test
    void theGroupSpansBothRegionsAndIsCreatedInTheLostOne() {
        assertThat(cast.groupMembers()).hasSize(2 * DrillCast.GROUP_PAIRS);
        assertThat(cast.groupMembers().stream().map(member -> cast.user(member).home()).distinct())
                .containsExactlyInAnyOrder("us", "eu");
        assertThat(cast.user(cast.groupCreator()).home()).isEqualTo("us");
        assertThat(cast.groupMembers()).contains(cast.groupCreator());
        Map<String, List<String>> conversations = cast.conversations();
        assertThat(conversations).containsEntry(cast.groupConversation(), cast.groupMembers()).hasSize(5);
    }

    @Test
    void aSinglePairMakesASmallGroup() {
        assertThat(DrillCast.of("r1", 1, "us", "eu").groupMembers()).hasSize(2);
    }

    @Test
    void thePlanNamesTheSurvivorAmongTheDeploymentsRegions() {
        DrillPlan plan = plan("us", Duration.ofSeconds(90), Duration.ofSeconds(30), 20, 20);

        assertThat(plan.survivor(List.of("eu", "us"))).isEqualTo("eu");
        assertThatThrownBy(() -> plan.survivor(List.of("eu", "ap"))).hasMessageContaining("none of the deployment");
        assertThatThrownBy(() -> plan.survivor(List.of("us"))).hasMessageContaining("second region");
    }

    @Test
    void thePlanRefusesADrillItCannotRun() {
        assertThatThrownBy(() -> plan("us", Duration.ofSeconds(30), Duration.ofSeconds(30), 20, 20))
                .hasMessageContaining("--loss-at");
        assertThatThrownBy(() -> plan("us", Duration.ofSeconds(30), Duration.ZERO, 20, 20))
                .hasMessageContaining("--loss-at");
        assertThatThrownBy(() -> plan("us", Duration.ofHours(2), Duration.ofSeconds(30), 20, 20))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> plan("us", Duration.ofSeconds(90), Duration.ofSeconds(30), 0, 20))
                .hasMessageContaining("--pairs");
        assertThatThrownBy(() -> plan("us", Duration.ofSeconds(90), Duration.ofSeconds(30), 20, 0))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> plan(" ", Duration.ofSeconds(90), Duration.ofSeconds(30), 20, 20))
                .hasMessageContaining("--lose");
    }

    private static DrillPlan plan(String lose, Duration duration, Duration lossAt, int pairs, double rate) {
        return new DrillPlan(lose, duration, lossAt, pairs, rate, Path.of("/tmp/d"), "r1", List.of());
    }
}
