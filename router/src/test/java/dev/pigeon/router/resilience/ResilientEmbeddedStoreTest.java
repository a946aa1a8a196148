package dev.pigeon.router.resilience;

import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import static dev.pigeon.router.resilience.Outcomes.failureOf;
import static dev.pigeon.router.resilience.Outcomes.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The guard around the real embedded store: its answers pass, its outage opens the circuit. */
class ResilientEmbeddedStoreTest {
    @TempDir
    Path dir;
    private EmbeddedMessageStore embedded;
    private ResilientMessageStore store;

    @BeforeEach
    void open() {
        embedded = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.builder().syncWrites(false).build());
        store = new ResilientMessageStore(embedded, ResilienceSettings.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4).waitInOpenState(Duration.ofMinutes(10)).build(),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void answersOfTheStorePassThrough() {
        assertThat(valueOf(store.advanceReadOffset("alice", "dm:alice:bob", 3))).isEqualTo(3L);
        assertThat(valueOf(store.advanceReadOffset("alice", "dm:alice:bob", 2))).isEqualTo(3L);
        assertThat(valueOf(store.readOffset("alice", "dm:alice:bob"))).isEqualTo(3L);
    }

    @Test
    void aClosedStoreOpensTheCircuit() {
        embedded.close();
        IntStream.range(0, 4).forEach(i ->
                assertThat(failureOf(store.inboxHead("alice"))).hasMessageContaining("the store is closed"));

        assertThat(failureOf(store.inboxHead("alice")))
                .isInstanceOf(StorageUnavailableException.class).hasMessage("storage circuit open");
    }
}
