package dev.pigeon.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: attempt n waits a uniformly random time between zero and
 * {@code min(max, base * 2^n)}, so that clients cut at the same moment do not come back together.
 */
final class Backoff {
    private final long baseMillis;
    private final long maxMillis;
    /** Given a bound, a random number in {@code [0, bound]}. */
    private final LongUnaryOperator random;
    private int attempt;

    Backoff(Duration base, Duration max, LongUnaryOperator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the bound until the cap. */
    Duration next() {
        long bound = attempt >= 31 ? maxMillis : Math.min(maxMillis, baseMillis << attempt);
        attempt++;
        return Duration.ofMillis(random.applyAsLong(bound));
    }

    void reset() {
        attempt = 0;
    }
}
