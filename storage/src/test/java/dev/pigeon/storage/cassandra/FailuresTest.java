package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import dev.pigeon.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void unreachableOrSlowCassandraBecomesStorageUnavailable() {
        assertThat(List.of(new NoNodeAvailableException(), new DriverTimeoutException("timed out"),
                new OverloadedException(null, "busy"), new IllegalStateException("Session is closed"),
                new CompletionException(new DriverTimeoutException("wrapped"))))
                .allSatisfy(failure -> assertThat(Failures.translate("appendToLog", failure))
                        .isInstanceOf(StorageUnavailableException.class)
                        .hasMessageStartingWith("appendToLog failed: "));
    }

    @Test
    void mistakesPassThroughUnchanged() {
        InvalidQueryException invalid = new InvalidQueryException(null, "no such column");
        IllegalArgumentException argument = new IllegalArgumentException("limit");

        assertThat(Failures.translate("readLog", new CompletionException(invalid))).isSameAs(invalid);
        assertThat(Failures.translate("readLog", argument)).isSameAs(argument);
        assertThat(Failures.translate("readLog", new IllegalStateException("other"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ourOwnUnavailabilityIsKeptAsItIs() {
        StorageUnavailableException ours = new StorageUnavailableException("the Cassandra store is closed", null);

        assertThat(Failures.translate("group", new CompletionException(ours))).isSameAs(ours);
    }
}
