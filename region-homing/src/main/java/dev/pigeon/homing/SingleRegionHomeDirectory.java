package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One region for everything: every user and conversation is homed locally, at epoch 1. */
public final class SingleRegionHomeDirectory implements HomeDirectory {
    private final Home home;

    public SingleRegionHomeDirectory(String region) {
        this.home = new Home(region, 1);
    }

    @Override
    public String localRegion() {
        return home.region();
    }

    @Override
    public CompletionStage<Home> homeOfUser(String user) {
        return CompletableFuture.completedFuture(home);
    }

    @Override
    public CompletionStage<Home> homeOfConversation(String conversation) {
        return CompletableFuture.completedFuture(home);
    }

    /** Homes never move here, and nothing is cached. */
    @Override
    public void forget(HomeStore.Kind kind, String id) {
    }
}
