package dev.pigeon.router.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing of node liveness, all derived from one beat interval I. A node renews its liveness key
 * every I with a TTL of 1.5 I, and another node that found the key trusts it for 0.5 I without
 * asking Redis again.
 *
 * <p>So a node that stops beating is gone from every lookup within 2 I of its last beat: a beat that
 * reached Redis at t leaves a key that expires at t + 1.5 I; the last check that can still find it
 * starts before then, and is trusted until at most t + 2 I. A live node may beat up to 0.5 I late
 * (a pause, a slow Redis) before it is taken for dead; its next beat then writes it back.
 */
record Liveness(Duration interval) {

    Liveness {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 2) {
            throw new IllegalArgumentException("presence heartbeat must be at least 2 ms");
        }
    }

    /** How long the liveness key lives after a beat. */
    Duration ttl() {
        return interval.multipliedBy(3).dividedBy(2);
    }

    /** How long a node found alive counts as alive without asking Redis again. */
    Duration trust() {
        return interval.dividedBy(2);
    }
}
