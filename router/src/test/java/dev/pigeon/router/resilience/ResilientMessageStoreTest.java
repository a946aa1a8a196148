package dev.pigeon.router.resilience;

import dev.pigeon.router.resilience.ScriptedStore.Behaviour;
import dev.pigeon.storage.StorageUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static dev.pigeon.router.resilience.Outcomes.failureOf;
import static dev.pigeon.router.resilience.Outcomes.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResilientMessageStoreTest {
    private final ScriptedStore backend = new ScriptedStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Opens when half of the last 4 calls (at least 4) failed. */
    private ResilientMessageStore guarded(ResilienceSettings.Builder settings) {
        return new ResilientMessageStore(backend, settings.slidingWindowSize(4).minimumNumberOfCalls(4).build(), meters);
    }

    @Test
    void answersPassThroughWhileTheStoreIsHealthy() {
        ResilientMessageStore store = new ResilientMessageStore(backend, ResilienceSettings.defaults(), meters);

        assertThat(valueOf(store.inboxHead("alice"))).isEqualTo(42L);
        assertThat(valueOf(store.advanceReadOffset("alice", "c1", 7))).isEqualTo(7L);
        assertThat(backend.calls).hasValue(2);
    }

    @Test
    void outagesOpenTheCircuitAndThenCallsFailFastWithoutReachingTheStore() {
        ResilientMessageStore store = guarded(ResilienceSettings.builder().waitInOpenState(Duration.ofMinutes(10)));
        backend.behaviour = Behaviour.UNAVAILABLE;
        IntStream.range(0, 4).forEach(i ->
                assertThat(failureOf(store.inboxHead("alice"))).hasMessage("store down"));

        CompletionStage<Long> refused = store.appendToInbox("alice", null);

        assertThat(refused.toCompletableFuture()).isCompletedExceptionally();
        assertThat(failureOf(refused)).isInstanceOf(StorageUnavailableException.class).hasMessage("storage circuit open");
        assertThat(backend.calls).hasValue(4);
        assertThat(circuitState("open")).isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.not.permitted.calls").tag("name", "storage")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void aSuccessfulProbeAfterTheWaitClosesTheCircuitAgain() {
        ResilientMessageStore store = guarded(ResilienceSettings.builder()
                .waitInOpenState(Duration.ofMillis(50)).halfOpenProbes(1));
        backend.behaviour = Behaviour.UNAVAILABLE;
        IntStream.range(0, 4).forEach(i -> failureOf(store.inboxHead("alice")));
        assertThat(circuitState("open")).isEqualTo(1);

        backend.behaviour = Behaviour.ANSWER;

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> store.inboxHead("alice").toCompletableFuture().isDone()
                        && circuitState("closed") == 1);
        int callsWhenClosed = backend.calls.get();
        assertThat(valueOf(store.inboxHead("alice"))).isEqualTo(42L);
        assertThat(backend.calls).hasValue(callsWhenClosed + 1);
    }

    @Test
    void aFailedProbeOpensTheCircuitAgain() {
        ResilientMessageStore store = guarded(ResilienceSettings.builder()
                .waitInOpenState(Duration.ofMillis(50)).halfOpenProbes(1));
        backend.behaviour = Behaviour.UNAVAILABLE;
        IntStream.range(0, 4).forEach(i -> failureOf(store.inboxHead("alice")));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    failureOf(store.inboxHead("alice"));
                    return backend.calls.get() == 5;
                });

        assertThat(circuitState("open")).isEqualTo(1);
        assertThat(failureOf(store.inboxHead("alice"))).hasMessage("storage circuit open");
    }

    @Test
    void aHangingStoreTimesOutAsUnavailableAndTimeoutsOpenTheCircuit() {
        ResilientMessageStore store = guarded(ResilienceSettings.builder()
                .timeout(Duration.ofMillis(50)).waitInOpenState(Duration.ofMinutes(10)));
        backend.behaviour = Behaviour.HANG;

        Throwable timedOut = failureOf(store.claimSend(null));

        assertThat(timedOut).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("storage call timed out")
                .hasCauseInstanceOf(TimeoutException.class);
        IntStream.range(0, 3).forEach(i -> failureOf(store.claimSend(null)));
        assertThat(circuitState("open")).isEqualTo(1);
    }

    @Test
    void aFullBulkheadFailsFastAndFreesItsPlacesWhenCallsFinish() {
        ResilientMessageStore store = guarded(ResilienceSettings.builder().maxConcurrentCalls(2));
        backend.behaviour = Behaviour.HANG;
        CompletionStage<Long> first = store.inboxHead("alice");
        CompletionStage<Long> second = store.inboxHead("bob");

        CompletionStage<Long> refused = store.inboxHead("carol");

        assertThat(refused.toCompletableFuture()).isCompletedExceptionally();
        assertThat(failureOf(refused)).isInstanceOf(StorageUnavailableException.class)
                .hasMessage("storage too many calls in flight");
        assertThat(backend.calls).hasValue(2);
        assertThat(bulkheadGauge("resilience4j.bulkhead.available.concurrent.calls")).isZero();

        backend.releaseHanging();
        assertThat(valueOf(first)).isEqualTo(42L);
        assertThat(valueOf(second)).isEqualTo(42L);
        backend.behaviour = Behaviour.ANSWER;
        assertThat(valueOf(store.inboxHead("carol"))).isEqualTo(42L);
        assertThat(bulkheadGauge("resilience4j.bulkhead.available.concurrent.calls")).isEqualTo(2);
        assertThat(circuitState("closed")).isEqualTo(1);
    }

    @Test
    void rejectedRequestsPassThroughWithoutOpeningTheCircuit() {
        ResilientMessageStore store = guarded(ResilienceSettings.builder().waitInOpenState(Duration.ofMinutes(10)));

        backend.behaviour = Behaviour.REJECT_REQUEST;
        IntStream.range(0, 5).forEach(i ->
                assertThat(failureOf(store.readLog("c1", 10, 5))).isSameAs(ScriptedStore.REJECTION));
        backend.behaviour = Behaviour.THROW_ILLEGAL_ARGUMENT;
        IntStream.range(0, 5).forEach(i ->
                assertThat(failureOf(store.readInbox("alice", 0, -1))).isSameAs(ScriptedStore.ILLEGAL));

        assertThat(circuitState("closed")).isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.calls").tags("name", "storage", "kind", "ignored")
                .timer().count()).isEqualTo(10);
        backend.behaviour = Behaviour.ANSWER;
        assertThat(valueOf(store.readLog("c1", 10, 5))).isEqualTo(List.of());
        assertThat(backend.calls).hasValue(11);
    }

    @Test
    void breakerAndBulkheadMetersAreTaggedWithTheStorageName() {
        new ResilientMessageStore(backend, ResilienceSettings.builder().maxConcurrentCalls(7).build(), meters);

        assertThat(circuitState("closed")).isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.failure.rate").tag("name", "storage").gauge()).isNotNull();
        assertThat(meters.get("resilience4j.circuitbreaker.buffered.calls").tag("name", "storage").gauges()).isNotEmpty();
        assertThat(bulkheadGauge("resilience4j.bulkhead.max.allowed.concurrent.calls")).isEqualTo(7);
        assertThat(bulkheadGauge("resilience4j.bulkhead.available.concurrent.calls")).isEqualTo(7);
    }

    private double circuitState(String state) {
        return meters.get("resilience4j.circuitbreaker.state").tags("name", "storage", "state", state).gauge().value();
    }

    private double bulkheadGauge(String name) {
        return meters.get(name).tag("name", "storage").gauge().value();
    }
}
