package dev.pigeon.router.resilience;

import dev.pigeon.router.Presence;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.storage.StorageUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.pigeon.router.resilience.Outcomes.failureOf;
import static dev.pigeon.router.resilience.Outcomes.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

class ResilientPresenceTest {
    private final SwitchablePresence backend = new SwitchablePresence();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ResilientPresence presence = new ResilientPresence(backend, ResilienceSettings.builder()
            .slidingWindowSize(2).minimumNumberOfCalls(2).waitInOpenState(Duration.ofMinutes(10)).build(), meters);

    @Test
    void answersPassThroughWhilePresenceIsHealthy() {
        assertThat(valueOf(presence.sessions(List.of("alice")))).containsEntry("alice", List.of());
        assertThat(valueOf(presence.stats()).sessions()).isZero();
    }

    @Test
    void outagesOpenThePresenceCircuitAndThenCallsFailFast() {
        backend.down = true;
        IntStream.range(0, 2).forEach(i -> assertThat(failureOf(presence.stats())).hasMessage("redis down"));

        Throwable refused = failureOf(presence.sessions(List.of("alice")));

        assertThat(refused).isInstanceOf(StorageUnavailableException.class).hasMessage("presence circuit open");
        assertThat(backend.calls).hasValue(2);
        assertThat(meters.get("resilience4j.circuitbreaker.state")
                .tags("name", "presence", "state", "open").gauge().value()).isEqualTo(1);
        assertThat(meters.get("resilience4j.bulkhead.available.concurrent.calls")
                .tag("name", "presence").gauge()).isNotNull();
    }

    /** Presence that is up (and empty) or down, counting the calls reaching it. */
    private static final class SwitchablePresence implements Presence {
        volatile boolean down;
        final AtomicInteger calls = new AtomicInteger();

        private <T> CompletionStage<T> answer(T value) {
            calls.incrementAndGet();
            return down ? CompletableFuture.failedFuture(new StorageUnavailableException("redis down", null))
                    : CompletableFuture.completedFuture(value);
        }

        @Override
        public CompletionStage<Void> register(SessionInfo session) {
            return answer(null);
        }

        @Override
        public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
            return answer(null);
        }

        @Override
        public CompletionStage<Void> unregister(SessionInfo session) {
            return answer(null);
        }

        @Override
        public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users) {
            return answer(Map.of("alice", List.of()));
        }

        @Override
        public CompletionStage<PresenceStats> stats() {
            return answer(new PresenceStats(0, 0, Map.of(), Map.of(), Map.of()));
        }
    }
}
