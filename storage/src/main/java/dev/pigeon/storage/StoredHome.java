package dev.pigeon.storage;

import java.util.Objects;

/**
 * A home as stored: the region, the epoch of that assignment (1 for the first, one more per move),
 * and, while a planned move is under way, the region it is moving to (writes pause meanwhile).
 */
public record StoredHome(String region, long epoch, String movingTo) {
    public StoredHome {
        Objects.requireNonNull(region, "region");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1: " + epoch);
        }
    }

    public StoredHome(String region, long epoch) {
        this(region, epoch, null);
    }

    public boolean moving() {
        return movingTo != null;
    }
}
