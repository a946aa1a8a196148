package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.QueryExecutionException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import dev.pigeon.storage.StorageUnavailableException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the driver throws when Cassandra cannot be reached or cannot answer in time (no node,
 * timeouts, unavailable replicas, overload, a closed connection or session) into
 * {@link StorageUnavailableException}. Anything else (a bad query, a bug) passes through unchanged.
 */
final class Failures {
    private Failures() {
    }

    static Throwable translate(String operation, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StorageUnavailableException || !isUnavailability(cause)) {
            return cause;
        }
        return new StorageUnavailableException(operation + " failed: " + cause.getMessage(), cause);
    }

    private static boolean isUnavailability(Throwable cause) {
        return cause instanceof AllNodesFailedException
                || cause instanceof DriverTimeoutException
                || cause instanceof QueryExecutionException
                || cause instanceof ServerError
                || cause instanceof NodeUnavailableException
                || cause instanceof ClosedConnectionException
                || cause instanceof HeartbeatException
                || cause instanceof BusyConnectionException
                || cause instanceof RequestThrottlingException
                || cause instanceof IllegalStateException && "Session is closed".equals(cause.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
