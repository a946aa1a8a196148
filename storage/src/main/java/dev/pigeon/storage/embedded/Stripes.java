package dev.pigeon.storage.embedded;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over keys, each stripe with a small cache of partition heads. A key always maps to
 * the same stripe, so whoever holds a key's stripe lock may read and write that key's head: the
 * cache needs no synchronisation of its own and stays bounded (least recently used heads go first
 * and are reloaded from disk when needed).
 */
final class Stripes {
    private final Stripe[] stripes;

    Stripes(int count, int headsPerStripe) {
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe(headsPerStripe);
        }
    }

    /** Runs {@code work} holding the lock of {@code key}'s stripe. */
    <T> T locked(byte[] key, LockedWork<T> work) throws Exception {
        Stripe stripe = stripeOf(key);
        stripe.lock.lock();
        try {
            return work.run(stripe);
        } finally {
            stripe.lock.unlock();
        }
    }

    private Stripe stripeOf(byte[] key) {
        int hash = Arrays.hashCode(key);
        hash ^= hash >>> 16;
        return stripes[Math.floorMod(hash, stripes.length)];
    }

    @FunctionalInterface
    interface LockedWork<T> {
        T run(Stripe stripe) throws Exception;
    }

    /** One lock and the heads of the partitions that map to it; use only while holding the lock. */
    static final class Stripe {
        private final ReentrantLock lock = new ReentrantLock();
        private final Map<ByteBuffer, Long> heads;

        private Stripe(int capacity) {
            heads = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Long> eldest) {
                    return size() > capacity;
                }
            };
        }

        <E extends Exception> long head(byte[] partition, HeadLoader<E> loader) throws E {
            ByteBuffer key = ByteBuffer.wrap(partition);
            Long cached = heads.get(key);
            if (cached != null) {
                return cached;
            }
            long loaded = loader.load();
            heads.put(key, loaded);
            return loaded;
        }

        void setHead(byte[] partition, long head) {
            heads.put(ByteBuffer.wrap(partition), head);
        }

        void forgetHead(byte[] partition) {
            heads.remove(ByteBuffer.wrap(partition));
        }
    }

    @FunctionalInterface
    interface HeadLoader<E extends Exception> {
        long load() throws E;
    }
}
