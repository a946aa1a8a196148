package dev.pigeon.storage.embedded;

/**
 * Settings of the embedded store; {@link #defaults()} fsyncs every write.
 *
 * @param syncWrites      fsync the write-ahead log before acknowledging each write (concurrent
 *                        writers share one fsync); without it an acknowledged write survives a
 *                        crash of the process but not of the machine
 * @param executorThreads threads that run store operations (default 64); they mostly wait for the
 *                        disk, and only writes in flight together can share one fsync, so there
 *                        are many more of them than cores
 * @param maxQueuedOperations operations waiting for a thread beyond which calls fail with
 *                        {@link dev.pigeon.storage.StorageUnavailableException} instead of queueing
 */
public record EmbeddedStoreOptions(boolean syncWrites, int executorThreads, int maxQueuedOperations) {

    public EmbeddedStoreOptions {
        if (executorThreads < 1) {
            throw new IllegalArgumentException("executorThreads must be at least 1");
        }
        if (maxQueuedOperations < 1) {
            throw new IllegalArgumentException("maxQueuedOperations must be at least 1");
        }
    }

    public static EmbeddedStoreOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private boolean syncWrites = true;
        private int executorThreads = 64;
        private int maxQueuedOperations = 100_000;

        private Builder() {
        }

        public Builder syncWrites(boolean syncWrites) {
            this.syncWrites = syncWrites;
            return this;
        }

        public Builder executorThreads(int executorThreads) {
            this.executorThreads = executorThreads;
            return this;
        }

        public Builder maxQueuedOperations(int maxQueuedOperations) {
            this.maxQueuedOperations = maxQueuedOperations;
            return this;
        }

        public EmbeddedStoreOptions build() {
            return new EmbeddedStoreOptions(syncWrites, executorThreads, maxQueuedOperations);
        }
    }
}
