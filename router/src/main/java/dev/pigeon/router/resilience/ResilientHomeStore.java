package dev.pigeon.router.resilience;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;

import java.util.List;
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

    @Override
    public CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion) {
        return guard.call(() -> delegate.markMoving(kind, id, expectedEpoch, toRegion));
    }

    @Override
    public CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart) {
        return guard.call(() -> delegate.recordStreamStart(kind, id, epoch, proposedStart));
    }

    @Override
    public CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id) {
        return guard.call(() -> delegate.streamStarts(kind, id));
    }

    @Override
    public CompletionStage<List<HomedId>> homedIn(String region) {
        return guard.call(() -> delegate.homedIn(region));
    }
}
