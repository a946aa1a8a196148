package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.StreamStart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The recorded stream starts of ids that moved, cached: a recorded start never changes, so a list
 * read once serves every epoch it covers; a newer epoch reads it again.
 */
final class StreamChains {
    static final int CAPACITY = 100_000;

    private record Key(Kind kind, String id) {
    }

    private final HomeStore homes;
    private final Map<Key, List<StreamStart>> starts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, List<StreamStart>> eldest) {
            return size() > CAPACITY;
        }
    };

    StreamChains(HomeStore homes) {
        this.homes = homes;
    }

    CompletionStage<StreamChain> chain(Kind kind, String id, long epoch) {
        if (epoch == 1) {
            return CompletableFuture.completedFuture(StreamChain.of(id, 1, List.of()));
        }
        Key key = new Key(kind, id);
        List<StreamStart> cached = cached(key);
        if (cached != null && covers(cached, epoch)) {
            return CompletableFuture.completedFuture(StreamChain.of(id, epoch, cached));
        }
        return homes.streamStarts(kind, id).thenApply(read -> {
            if (!covers(read, epoch)) {
                throw new StorageUnavailableException("epoch " + epoch + " of " + id
                        + " has no recorded start in this data centre yet", null);
            }
            cache(key, read);
            return StreamChain.of(id, epoch, read);
        });
    }

    CompletionStage<Long> record(Kind kind, String id, long epoch, long start) {
        return homes.recordStreamStart(kind, id, epoch, start).thenApply(held -> {
            forget(new Key(kind, id));
            return held;
        });
    }

    private static boolean covers(List<StreamStart> starts, long epoch) {
        return starts.stream().anyMatch(start -> start.epoch() == epoch);
    }

    private synchronized List<StreamStart> cached(Key key) {
        return starts.get(key);
    }

    private synchronized void cache(Key key, List<StreamStart> read) {
        starts.put(key, List.copyOf(read));
    }

    private synchronized void forget(Key key) {
        starts.remove(key);
    }
}
