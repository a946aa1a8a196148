package dev.pigeon.router;

import java.time.Duration;

/**
 * The limits the router enforces.
 *
 * @param sendsPerSecond  sends one user may make per second; a burst of that many is allowed at once
 * @param maxGroupMembers the most members a group may have
 * @param maxPageSize     the most entries one {@code sync} or {@code history} answer holds (larger limits are cut)
 * @param storageTimeout  how long a storage call may take before the request fails {@code unavailable}
 */
public record RouterLimits(int sendsPerSecond, int maxGroupMembers, int maxPageSize, Duration storageTimeout) {

    public RouterLimits {
        if (sendsPerSecond < 1 || maxGroupMembers < 1 || maxPageSize < 1) {
            throw new IllegalArgumentException("router limits must be positive");
        }
        if (storageTimeout.isNegative() || storageTimeout.isZero()) {
            throw new IllegalArgumentException("storage timeout must be positive");
        }
    }

    public static RouterLimits defaults() {
        return new RouterLimits(20, 1000, 1000, Duration.ofSeconds(5));
    }

    public RouterLimits withSendsPerSecond(int value) {
        return new RouterLimits(value, maxGroupMembers, maxPageSize, storageTimeout);
    }

    public RouterLimits withMaxGroupMembers(int value) {
        return new RouterLimits(sendsPerSecond, value, maxPageSize, storageTimeout);
    }

    public RouterLimits withMaxPageSize(int value) {
        return new RouterLimits(sendsPerSecond, maxGroupMembers, value, storageTimeout);
    }

    public RouterLimits withStorageTimeout(Duration value) {
        return new RouterLimits(sendsPerSecond, maxGroupMembers, maxPageSize, value);
    }
}
