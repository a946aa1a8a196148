package dev.pigeon.router;

import dev.pigeon.storage.RegionStore;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which regions are declared lost, as this node knows it: from the failovers recorded in storage
 * (read again by {@link #refresh}) and from what the other regions report about themselves and
 * this region when it comes back ({@link #markLost}). A lost region gets no writes and no calls;
 * a node whose own region is lost writes nothing as a home (its homes moved).
 */
public final class RegionStates {
    private final RegionStore store;
    private final Set<String> lost = ConcurrentHashMap.newKeySet();

    private RegionStates(RegionStore store) {
        this.store = store;
    }

    /** For one region: nothing is ever lost. */
    static RegionStates none() {
        return new RegionStates(null);
    }

    public static RegionStates of(RegionStore store) {
        return new RegionStates(store);
    }

    public boolean isLost(String region) {
        return lost.contains(region);
    }

    public Set<String> lostRegions() {
        return Set.copyOf(lost);
    }

    public void markLost(String region) {
        lost.add(region);
    }

    public void markActive(String region) {
        lost.remove(region);
    }

    /** Reads the recorded failovers; a region rejoined after reconciliation is active again. */
    public CompletionStage<Void> refresh() {
        if (store == null) {
            return CompletableFuture.completedFuture(null);
        }
        return store.failovers().thenAccept(failovers -> failovers.forEach(failover -> {
            if (failover.lost()) {
                lost.add(failover.region());
            } else {
                lost.remove(failover.region());
            }
        }));
    }
}
