package dev.pigeon.storage;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The durable record of where users and conversations are homed. A home is claimed once (the
 * first claim wins, at epoch 1) and afterwards only moved, each move raising the epoch by one and
 * succeeding only against the epoch the mover last saw, so two concurrent moves can never both
 * win and a writer holding an old epoch can be fenced.
 *
 * <p>Stages complete on the store's threads; continuations must not block.
 */
public interface HomeStore {

    /** What has a home. */
    enum Kind { USER, CONVERSATION }

    /** The stored home of {@code id}, empty when it was never claimed. */
    CompletionStage<Optional<StoredHome>> home(Kind kind, String id);

    /**
     * Homes {@code id} in {@code region} at epoch 1 unless it already has a home; either way, the
     * home it has now. Of concurrent claims exactly one wins and all see the winner's home.
     */
    CompletionStage<StoredHome> claimIfAbsent(Kind kind, String id, String region);

    /**
     * Moves {@code id} to {@code newRegion} at {@code expectedEpoch + 1}, only if its home is still
     * at {@code expectedEpoch}: the new home when moved, empty when there is no home or its epoch
     * is another one (re-read it with {@link #home} and decide again).
     */
    CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion);
}
