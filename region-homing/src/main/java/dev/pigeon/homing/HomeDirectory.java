package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore;

import java.util.concurrent.CompletionStage;

/**
 * Answers where users and conversations are homed. Every write asks it first: a user is written
 * only in their home region.
 */
public interface HomeDirectory {

    /** The region this node serves. */
    String localRegion();

    CompletionStage<Home> homeOfUser(String user);

    CompletionStage<Home> homeOfConversation(String conversation);

    /** Drops any cached copy of the home of {@code id}, which moved: the next lookup reads it again. */
    void forget(HomeStore.Kind kind, String id);

    default boolean isLocal(Home home) {
        return localRegion().equals(home.region());
    }
}
