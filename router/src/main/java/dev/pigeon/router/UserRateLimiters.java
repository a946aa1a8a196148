package dev.pigeon.router;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rate limiter per user. A limiter idle for longer than {@link #IDLE_AFTER} has refilled
 * completely, so dropping it loses nothing; idle ones are swept so the map follows the active users only.
 */
final class UserRateLimiters {
    static final Duration IDLE_AFTER = Duration.ofMinutes(1);

    private final RateLimiterConfig config;
    private final Clock clock;
    private final ConcurrentMap<String, Tracked> limiters = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepAt;

    UserRateLimiters(int permitsPerSecond, Clock clock) {
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(permitsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.clock = clock;
        this.nextSweepAt = new AtomicLong(clock.millis() + IDLE_AFTER.toMillis());
    }

    /** Takes one permit for {@code user} without waiting; false when the user is over the limit. */
    boolean tryAcquire(String user) {
        long now = clock.millis();
        sweepIfDue(now);
        Tracked tracked = limiters.computeIfAbsent(user, u -> new Tracked(RateLimiter.of("send:" + u, config), now));
        tracked.lastUsed = now;
        return tracked.limiter.acquirePermission();
    }

    int size() {
        return limiters.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweepAt.get();
        if (now < due || !nextSweepAt.compareAndSet(due, now + IDLE_AFTER.toMillis())) {
            return;
        }
        long idleBefore = now - IDLE_AFTER.toMillis();
        limiters.values().removeIf(tracked -> tracked.lastUsed < idleBefore);
    }

    private static final class Tracked {
        final RateLimiter limiter;
        volatile long lastUsed;

        Tracked(RateLimiter limiter, long now) {
            this.limiter = limiter;
            this.lastUsed = now;
        }
    }
}
