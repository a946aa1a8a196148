package dev.pigeon.router;

import dev.pigeon.homing.EpochedMessageStore;
import dev.pigeon.router.region.RegionLink;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.RegionStore;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a node of one of several regions needs beyond a single region's router.
 *
 * @param link            calls into the other regions
 * @param regionStore     beats, outboxes, users' conversations, failovers and recoveries
 * @param states          which regions are declared lost
 * @param homeStore       the durable homes, for moves
 * @param epochs          the router's store, which maps sequences onto per-epoch streams
 * @param datacenterOf    opens a store that reads the named region's own data centre, whatever this node's
 *                        is (closed after use): reconciliation reads what a returning region never replicated
 * @param beatInterval    how often this node writes its region's heartbeat
 * @param homeCacheTtl    how long nodes trust a cached home: a move waits this long for every node to see it
 */
public record RegionParts(RegionLink link, RegionStore regionStore, RegionStates states, HomeStore homeStore,
                          EpochedMessageStore epochs, Function<String, MessageStore> datacenterOf,
                          Duration beatInterval, Duration homeCacheTtl) {
    public RegionParts {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(regionStore, "regionStore");
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(homeStore, "homeStore");
        Objects.requireNonNull(epochs, "epochs");
        Objects.requireNonNull(datacenterOf, "datacenterOf");
        if (beatInterval.isNegative() || beatInterval.isZero()) {
            throw new IllegalArgumentException("beat interval must be positive");
        }
    }
}
