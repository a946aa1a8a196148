package dev.pigeon.router.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LivenessTest {

    @Test
    void aDeadNodeIsForgottenWithinTwoIntervalsOfItsLastBeat() {
        Liveness liveness = new Liveness(Duration.ofSeconds(2));

        assertThat(liveness.ttl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(liveness.trust()).isEqualTo(Duration.ofSeconds(1));
        // the key outlives the last beat by ttl, and a check just before it expired is trusted for trust
        assertThat(liveness.ttl().plus(liveness.trust())).isEqualTo(liveness.interval().multipliedBy(2));
    }

    @Test
    void aLiveNodeMayBeatHalfAnIntervalLateBeforeItsKeyExpires() {
        Liveness liveness = new Liveness(Duration.ofMillis(600));

        assertThat(liveness.ttl().minus(liveness.interval())).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void anIntervalTooShortToHalveIsRefused() {
        assertThatThrownBy(() -> new Liveness(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("presence heartbeat must be at least 2 ms");
        assertThatThrownBy(() -> new Liveness(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Liveness(Duration.ofMillis(2)).trust()).isEqualTo(Duration.ofMillis(1));
    }
}
