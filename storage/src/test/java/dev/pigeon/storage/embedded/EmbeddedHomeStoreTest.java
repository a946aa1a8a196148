package dev.pigeon.storage.embedded;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.HomeStoreContract;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedHomeStoreTest extends HomeStoreContract {
    @TempDir
    static Path sharedDir;
    private static EmbeddedMessageStore shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void openShared() {
        shared = EmbeddedMessageStore.open(sharedDir, EmbeddedStoreOptions.defaults());
    }

    @AfterAll
    static void closeShared() {
        shared.close();
    }

    @Override
    protected HomeStore homes() {
        return shared;
    }

    @Test
    void homesStartsAndTheRegionIndexSurviveARestart() {
        EmbeddedMessageStore store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults());
        store.claimIfAbsent(Kind.USER, "alice", "eu").toCompletableFuture().join();
        store.recordStreamStart(Kind.USER, "alice", 2, 7).toCompletableFuture().join();
        store.move(Kind.USER, "alice", 1, "us").toCompletableFuture().join();
        store.claimIfAbsent(Kind.USER, "bob", "eu").toCompletableFuture().join();
        store.markMoving(Kind.USER, "bob", 1, "us").toCompletableFuture().join();
        store.close();

        EmbeddedMessageStore reopened = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults());
        try {
            assertThat(reopened.home(Kind.USER, "alice").toCompletableFuture().join()).contains(new StoredHome("us", 2));
            assertThat(reopened.streamStarts(Kind.USER, "alice").toCompletableFuture().join())
                    .containsExactly(new StreamStart(2, 7));
            assertThat(reopened.homedIn("us").toCompletableFuture().join())
                    .containsExactly(new HomedId(Kind.USER, "alice", new StoredHome("us", 2)));
            assertThat(reopened.homedIn("eu").toCompletableFuture().join())
                    .containsExactly(new HomedId(Kind.USER, "bob", new StoredHome("eu", 1, "us")));
        } finally {
            reopened.close();
        }
    }
}
