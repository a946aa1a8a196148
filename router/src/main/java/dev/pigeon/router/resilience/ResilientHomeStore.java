package dev.pigeon.router.resilience;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.StoredHome;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link HomeStore} whose every call goes through a circuit breaker, bulkhead and timeout named
 * {@value #NAME}, like {@link ResilientMessageStore}: while the store is down, home lookups fail at
 * once instead of piling up.
 */
public final class ResilientHomeStore implements HomeStore {
    /** The name of the breaker and bulkhead, the {@code name} tag of their meters. */
    public static final String NAME = "homes";

    private final HomeStore delegate;
    private final CallGuard guard;

    public ResilientHomeStore(HomeStore delegate, ResilienceSettings settings, MeterRegistry meters) {
        this.delegate = delegate;
        this.guard = new CallGuard(NAME, settings, meters);
    }

    @Override
    public CompletionStage<Optional<StoredHome>> home(Kind kind, String id) {
        return guard.call(() -> delegate.home(kind, id));
    }

    @Override
    public CompletionStage<StoredHome> claimIfAbsent(Kind kind, String id, String region) {
        return guard.call(() -> delegate.claimIfAbsent(kind, id, region));
    }

    @Override
    public CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
        return guard.call(() -> delegate.move(kind, id, expectedEpoch, newRegion));
    }
}
