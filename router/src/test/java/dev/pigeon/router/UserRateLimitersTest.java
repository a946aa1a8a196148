package dev.pigeon.router;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class UserRateLimitersTest {
    private final MutableClock clock = new MutableClock(0);
    private final UserRateLimiters limiters = new UserRateLimiters(3, clock);

    @Test
    void burstOfTheRatePassesThenTheUserIsRefusedAndOthersAreNot() {
        long passed = IntStream.range(0, 3).filter(i -> limiters.tryAcquire("alice")).count();

        assertThat(passed).isEqualTo(3);
        assertThat(limiters.tryAcquire("alice")).isFalse();
        assertThat(limiters.tryAcquire("bob")).isTrue();
    }

    @Test
    void idleLimitersAreDropped() {
        IntStream.range(0, 500).forEach(i -> limiters.tryAcquire("user" + i));
        assertThat(limiters.size()).isEqualTo(500);

        clock.advance(UserRateLimiters.IDLE_AFTER.plus(Duration.ofSeconds(1)));
        limiters.tryAcquire("active");

        assertThat(limiters.size()).isEqualTo(1);
    }
}
