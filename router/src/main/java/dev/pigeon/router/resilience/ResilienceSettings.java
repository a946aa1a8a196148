package dev.pigeon.router.resilience;

import java.time.Duration;

/**
 * How a remote backend is guarded: when its circuit opens, how many calls may be in flight, how long one may take.
 *
 * @param failureRateThreshold  percentage of failed calls in the window (1 to 100) at which the circuit opens
 * @param slidingWindowSize     how many of the latest calls the failure rate is measured over
 * @param minimumNumberOfCalls  calls the window needs before the rate counts, so one early failure opens nothing
 * @param waitInOpenState       how long an open circuit fails calls fast before it lets probes through
 * @param halfOpenProbes        calls let through after the wait; the circuit closes when enough of them succeed
 * @param maxConcurrentCalls    calls in flight at once; one more fails fast
 * @param timeout               how long a call may take before it fails as unavailable
 */
public record ResilienceSettings(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
                                 Duration waitInOpenState, int halfOpenProbes, int maxConcurrentCalls,
                                 Duration timeout) {

    public ResilienceSettings {
        if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("failure rate threshold must be in (0, 100]");
        }
        if (slidingWindowSize < 1 || minimumNumberOfCalls < 1 || halfOpenProbes < 1 || maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("window, minimum calls, probes and concurrent calls must be positive");
        }
        if (!isPositive(waitInOpenState) || !isPositive(timeout)) {
            throw new IllegalArgumentException("wait in open state and timeout must be positive");
        }
    }

    /** Opens at half of 20 calls failing (after at least 10), waits 5 s, 1024 calls in flight, 3 s per call. */
    public static ResilienceSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    /** Starts from {@link #defaults()}; each setter replaces one value. */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private int slidingWindowSize = 20;
        private int minimumNumberOfCalls = 10;
        private Duration waitInOpenState = Duration.ofSeconds(5);
        private int halfOpenProbes = 3;
        private int maxConcurrentCalls = 1024;
        private Duration timeout = Duration.ofSeconds(3);

        private Builder() {
        }

        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = percent;
            return this;
        }

        public Builder slidingWindowSize(int calls) {
            this.slidingWindowSize = calls;
            return this;
        }

        public Builder minimumNumberOfCalls(int calls) {
            this.minimumNumberOfCalls = calls;
            return this;
        }

        public Builder waitInOpenState(Duration wait) {
            this.waitInOpenState = wait;
            return this;
        }

        public Builder halfOpenProbes(int calls) {
            this.halfOpenProbes = calls;
            return this;
        }

        public Builder maxConcurrentCalls(int calls) {
            this.maxConcurrentCalls = calls;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public ResilienceSettings build() {
            return new ResilienceSettings(failureRateThreshold, slidingWindowSize, minimumNumberOfCalls,
                    waitInOpenState, halfOpenProbes, maxConcurrentCalls, timeout);
        }
    }
}
