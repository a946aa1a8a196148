package dev.pigeon.storage;

/**
 * The store cannot be reached or did not answer in time. The failed call may or may not have taken
 * effect; every call is idempotent or monotonic, so retrying it is safe.
 */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
