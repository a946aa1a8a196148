package dev.pigeon.router.resilience;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.StoredHome;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link HomeStore} whose every call goes through the circuit breaker, bulkhead and timeout of the
 * {@link ResilientMessageStore} on the same backend: one breaker per database, so that an outage
 * opens it whichever kind of call meets it first, and home lookups fail at once while it is open.
 */
public final class ResilientHomeStore implements HomeStore {
    private final HomeStore delegate;
    private final CallGuard guard;

    /** {@code sameBackend} guards the message store that {@code delegate} shares its database with. */
    public ResilientHomeStore(HomeStore delegate, ResilientMessageStore sameBackend) {
        this.delegate = delegate;
        this.guard = sameBackend.guard();
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
