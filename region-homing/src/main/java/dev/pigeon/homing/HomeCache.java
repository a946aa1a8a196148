package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore.Kind;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Recently looked-up homes, each kept for a short time: at most {@code capacity} (the least
 * recently used go first), none older than {@code ttl}. Thread-safe.
 */
final class HomeCache {
    private record Key(Kind kind, String id) {
    }

    private record Entry(Home home, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<Key, Entry> entries;

    HomeCache(int capacity, Duration ttl, LongSupplier nanoTime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached home, or null when absent or expired. */
    synchronized Home get(Kind kind, String id) {
        Key key = new Key(kind, id);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(key);
            return null;
        }
        return entry.home();
    }

    /** Caches {@code home}, unless a home of a later epoch is already cached. */
    synchronized void put(Kind kind, String id, Home home) {
        Key key = new Key(kind, id);
        Entry current = entries.get(key);
        if (current == null || current.home().epoch() <= home.epoch()) {
            entries.put(key, new Entry(home, nanoTime.getAsLong() + ttlNanos));
        }
    }

    synchronized void remove(Kind kind, String id) {
        entries.remove(new Key(kind, id));
    }

    synchronized int size() {
        return entries.size();
    }
}
