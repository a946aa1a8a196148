package dev.pigeon.router.resilience;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResilientHomeStoreTest {
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean down;
    private final HomeStore backend = new HomeStore() {
        @Override
        public CompletionStage<Optional<StoredHome>> home(Kind kind, String id) {
            return answer(Optional.of(new StoredHome("eu", 1)));
        }

        @Override
        public CompletionStage<StoredHome> claimIfAbsent(Kind kind, String id, String region) {
            return answer(new StoredHome(region, 1));
        }

        @Override
        public CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
            return answer(Optional.of(new StoredHome(newRegion, expectedEpoch + 1)));
        }

        @Override
        public CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion) {
            return answer(Optional.of(new StoredHome("eu", expectedEpoch, toRegion)));
        }

        @Override
        public CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart) {
            return answer(proposedStart);
        }

        @Override
        public CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id) {
            return answer(List.of());
        }

        @Override
        public CompletionStage<List<HomedId>> homedIn(String region) {
            return answer(List.of());
        }

        private <T> CompletionStage<T> answer(T value) {
            calls.incrementAndGet();
            return down ? CompletableFuture.failedFuture(new StorageUnavailableException("homes down", null))
                    : CompletableFuture.completedFuture(value);
        }
    };
    private final ScriptedStore messages = new ScriptedStore();
    private final ResilientMessageStore sameBackend = new ResilientMessageStore(messages, ResilienceSettings.builder()
            .slidingWindowSize(4).minimumNumberOfCalls(4).waitInOpenState(Duration.ofMinutes(10)).build(),
            new SimpleMeterRegistry());
    private final ResilientHomeStore store = new ResilientHomeStore(backend, sameBackend);

    @Test
    void answersPassThroughWhileTheStoreIsHealthy() {
        assertThat(store.home(HomeStore.Kind.USER, "alice").toCompletableFuture().join()).contains(new StoredHome("eu", 1));
        assertThat(store.claimIfAbsent(HomeStore.Kind.CONVERSATION, "g:team", "us").toCompletableFuture().join())
                .isEqualTo(new StoredHome("us", 1));
        assertThat(store.move(HomeStore.Kind.USER, "alice", 1, "us").toCompletableFuture().join())
                .contains(new StoredHome("us", 2));
    }

    @Test
    void anOutageMetByHomeLookupsOpensTheBreakerOfTheWholeDatabase() {
        down = true;
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> store.home(HomeStore.Kind.USER, "alice").toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StorageUnavailableException.class);
        }

        assertThatThrownBy(() -> store.claimIfAbsent(HomeStore.Kind.USER, "bob", "eu").toCompletableFuture().join())
                .hasCauseInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> sameBackend.inboxHead("bob").toCompletableFuture().join())
                .hasCauseInstanceOf(StorageUnavailableException.class).hasMessageContaining("circuit open");
        assertThat(calls).hasValue(4);
        assertThat(messages.calls).hasValue(0);
    }
}
