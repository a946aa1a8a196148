package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;

import java.util.concurrent.CompletionStage;

/**
 * Reads every home from the store, so that a move is seen by the next lookup. Ids must have been
 * claimed: a lookup of one without a home fails rather than claiming it in some region.
 */
final class UncachedHomeDirectory implements HomeDirectory {
    private final String localRegion;
    private final HomeStore homes;

    UncachedHomeDirectory(String localRegion, HomeStore homes) {
        this.localRegion = localRegion;
        this.homes = homes;
    }

    @Override
    public String localRegion() {
        return localRegion;
    }

    @Override
    public CompletionStage<Home> homeOfUser(String user) {
        return home(Kind.USER, user);
    }

    @Override
    public CompletionStage<Home> homeOfConversation(String conversation) {
        return home(Kind.CONVERSATION, conversation);
    }

    @Override
    public void forget(Kind kind, String id) {
    }

    private CompletionStage<Home> home(Kind kind, String id) {
        return homes.home(kind, id).thenApply(found -> found
                .map(home -> new Home(home.region(), home.epoch(), home.movingTo()))
                .orElseThrow(() -> new IllegalStateException(kind + " " + id + " was never homed")));
    }
}
