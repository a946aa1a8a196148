package dev.pigeon.router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** A thread-safe map that forgets its least recently used entries beyond a capacity. */
final class BoundedMap<K, V> {
    private final Map<K, V> entries;

    BoundedMap(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized void merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> combine) {
        entries.merge(key, value, combine);
    }

    synchronized void remove(K key) {
        entries.remove(key);
    }
}
