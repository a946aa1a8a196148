package dev.pigeon.storage;

import java.util.Objects;

/** A home as stored: the region and the epoch of that assignment (1 for the first, one more per move). */
public record StoredHome(String region, long epoch) {
    public StoredHome {
        Objects.requireNonNull(region, "region");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1: " + epoch);
        }
    }
}
