package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore.Kind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HomeCacheTest {
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 10);
    private final HomeCache cache = new HomeCache(2, Duration.ofNanos(100), nanos::get);

    @Test
    void keepsAtMostCapacityDroppingTheLeastRecentlyUsed() {
        cache.put(Kind.USER, "a", new Home("eu", 1));
        cache.put(Kind.USER, "b", new Home("eu", 1));
        cache.get(Kind.USER, "a");
        cache.put(Kind.USER, "c", new Home("eu", 1));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(Kind.USER, "a")).isEqualTo(new Home("eu", 1));
        assertThat(cache.get(Kind.USER, "b")).isNull();
    }

    @Test
    void expiresEntriesAfterTheTtlEvenAcrossTheNanoTimeOverflow() {
        cache.put(Kind.USER, "a", new Home("eu", 1));

        nanos.addAndGet(99);
        assertThat(cache.get(Kind.USER, "a")).isEqualTo(new Home("eu", 1));
        nanos.addAndGet(1);
        assertThat(cache.get(Kind.USER, "a")).isNull();
    }

    @Test
    void neverReplacesAHomeWithOneOfAnEarlierEpoch() {
        cache.put(Kind.CONVERSATION, "g:x", new Home("us", 2));
        cache.put(Kind.CONVERSATION, "g:x", new Home("eu", 1));

        assertThat(cache.get(Kind.CONVERSATION, "g:x")).isEqualTo(new Home("us", 2));
    }

    @Test
    void refusesANonPositiveTtlOrCapacity() {
        assertThatThrownBy(() -> new HomeCache(0, Duration.ofSeconds(1), System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HomeCache(1, Duration.ZERO, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
