package dev.pigeon.storage;

import java.util.List;
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

    /**
     * Marks a planned move of {@code id} to {@code toRegion}, only if its home is still at
     * {@code expectedEpoch} and not moving: the home as marked, empty otherwise. Its region and
     * epoch stay until {@link #move}, which clears the mark.
     */
    CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion);

    /**
     * Records that the stream of {@code id} under {@code epoch} (at least 2) starts at
     * {@code proposedStart}, unless a start is already recorded for that epoch; either way the start
     * that holds now. Of concurrent records exactly one wins.
     */
    CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart);

    /** The starts recorded for {@code id}'s epochs after the first, by epoch ascending. */
    CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id);

    /**
     * Everything homed in {@code region} now, with its home (a home being moved away is still
     * listed, with {@link StoredHome#movingTo()} set). Read from an index written after each claim
     * and move: a store that cannot write both at once may miss an id whose claim or move was cut
     * short by a crash, until a later claim of that id (which finds it homed) writes the index
     * again. Ids that have moved away are never listed.
     */
    CompletionStage<List<HomedId>> homedIn(String region);
}
