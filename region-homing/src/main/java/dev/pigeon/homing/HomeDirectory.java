package dev.pigeon.homing;

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

    default boolean isLocal(Home home) {
        return localRegion().equals(home.region());
    }
}
