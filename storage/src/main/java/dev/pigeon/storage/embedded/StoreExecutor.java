package dev.pigeon.storage.embedded;

import dev.pigeon.storage.StorageUnavailableException;
import org.rocksdb.RocksDBException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs store operations on the store's own threads and guards the native database: an operation
 * runs only while the store is open (touching a closed RocksDB crashes the JVM), and closing waits
 * until no operation is inside it. Results complete on a store thread, outside the guard.
 */
final class StoreExecutor {
    private static final long DRAIN_SECONDS = 30;

    private final ThreadPoolExecutor threads;
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set, under the gate's write lock, once the database is gone. */
    private boolean released;

    StoreExecutor(EmbeddedStoreOptions options) {
        threads = new ThreadPoolExecutor(options.executorThreads(), options.executorThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.maxQueuedOperations()), new StoreThreads());
    }

    @FunctionalInterface
    interface Operation<T> {
        T run() throws Exception;
    }

    <T> CompletionStage<T> submit(String name, Operation<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> complete(result, name, operation));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new StorageUnavailableException(
                    closed.get() ? "the store is closed" : "the store is overloaded: too many operations queued", e));
        }
        return result;
    }

    private <T> void complete(CompletableFuture<T> result, String name, Operation<T> operation) {
        T value;
        gate.readLock().lock();
        try {
            if (released) {
                throw new StorageUnavailableException("the store is closed", null);
            }
            value = operation.run();
        } catch (RocksDBException e) {
            result.completeExceptionally(new StorageUnavailableException(name + " failed: " + e.getMessage(), e));
            return;
        } catch (Throwable e) {
            // Whatever went wrong, the caller's stage must not hang.
            result.completeExceptionally(e);
            return;
        } finally {
            gate.readLock().unlock();
        }
        result.complete(value);
    }

    /**
     * Stops taking operations, lets the queued ones finish (for a bounded time), then runs
     * {@code release} once no operation can touch the database any more. Only the first call
     * does anything.
     */
    void close(Runnable release) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        threads.shutdown();
        if (!(Thread.currentThread() instanceof StoreThread)) {
            awaitDrained();
        }
        gate.writeLock().lock();
        try {
            released = true;
            release.run();
        } finally {
            gate.writeLock().unlock();
        }
    }

    private void awaitDrained() {
        try {
            threads.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class StoreThread extends Thread {
        StoreThread(Runnable work, String name) {
            super(work, name);
            setDaemon(true);
        }
    }

    private static final class StoreThreads implements ThreadFactory {
        private static final AtomicInteger STORES = new AtomicInteger();
        private final int store = STORES.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable work) {
            return new StoreThread(work, "pigeon-store-" + store + "-" + count.incrementAndGet());
        }
    }
}
