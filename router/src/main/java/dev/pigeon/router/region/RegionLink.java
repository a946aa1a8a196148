package dev.pigeon.router.region;

import java.util.Set;

/** The way to the other regions: each named peer region answers {@link RegionCalls}. */
public interface RegionLink extends AutoCloseable {

    /** The other regions this node can reach (they may be down). */
    Set<String> peers();

    /**
     * Calls into {@code region}.
     *
     * @throws IllegalArgumentException when {@code region} is not a peer
     */
    RegionCalls to(String region);

    @Override
    void close();
}
