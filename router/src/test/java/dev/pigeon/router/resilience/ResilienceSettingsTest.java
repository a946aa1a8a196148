package dev.pigeon.router.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResilienceSettingsTest {

    @Test
    void defaultsAreUsable() {
        ResilienceSettings defaults = ResilienceSettings.defaults();

        assertThat(defaults.failureRateThreshold()).isEqualTo(50);
        assertThat(defaults.minimumNumberOfCalls()).isLessThanOrEqualTo(defaults.slidingWindowSize());
        assertThat(defaults.timeout()).isPositive();
    }

    @Test
    void nonsenseIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ResilienceSettings.builder().failureRateThreshold(0).build());
        assertThatIllegalArgumentException().isThrownBy(() -> ResilienceSettings.builder().failureRateThreshold(101).build());
        assertThatIllegalArgumentException().isThrownBy(() -> ResilienceSettings.builder().maxConcurrentCalls(0).build());
        assertThatIllegalArgumentException().isThrownBy(() -> ResilienceSettings.builder().slidingWindowSize(-1).build());
        assertThatIllegalArgumentException().isThrownBy(() -> ResilienceSettings.builder().timeout(Duration.ZERO).build());
        assertThatIllegalArgumentException().isThrownBy(() -> ResilienceSettings.builder().waitInOpenState(null).build());
    }
}
