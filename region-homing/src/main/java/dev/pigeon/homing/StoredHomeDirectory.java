package dev.pigeon.homing;

import dev.pigeon.protocol.ConversationId;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.StoredHome;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * A {@link HomeDirectory} over a durable {@link HomeStore}, with a small local cache.
 *
 * <h2>First contact</h2>
 * A user or conversation without a home gets one the first time a node needs it, by this rule:
 * <ul>
 *   <li>a user, and a group conversation, are homed in the region of that node
 *       ({@link #localRegion()});</li>
 *   <li>a direct conversation {@code dm:<a>:<b>} is homed where its first member {@code a} (the
 *       lexicographically smaller id) is homed, that member being homed first by the rule above
 *       if needed. The rule depends only on the id, so every region that meets a dm first picks
 *       the same home when {@code a} already has one.</li>
 * </ul>
 * The claim is the store's {@link HomeStore#claimIfAbsent}: when regions race, exactly one claim
 * wins and everyone gets the winner's home, at epoch 1. A home found is never changed here; homes
 * move only through {@link HomeStore#move}, each move raising the epoch.
 *
 * <h2>Cache</h2>
 * Homes found are kept for a short time ({@link #DEFAULT_TTL} by default), at most
 * {@link #DEFAULT_CAPACITY} of them. A move made elsewhere is therefore seen here within the TTL,
 * or at once after {@link #forget}; a write made meanwhile under the old home carries the old
 * epoch, by which it can be fenced. Failed lookups are not cached.
 */
public final class StoredHomeDirectory implements HomeDirectory {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    public static final int DEFAULT_CAPACITY = 100_000;

    private final String localRegion;
    private final HomeStore store;
    private final HomeCache cache;

    public StoredHomeDirectory(String localRegion, HomeStore store) {
        this(localRegion, store, DEFAULT_CAPACITY, DEFAULT_TTL, System::nanoTime);
    }

    StoredHomeDirectory(String localRegion, HomeStore store, int capacity, Duration ttl, LongSupplier nanoTime) {
        this.localRegion = Objects.requireNonNull(localRegion, "localRegion");
        this.store = Objects.requireNonNull(store, "store");
        this.cache = new HomeCache(capacity, ttl, nanoTime);
    }

    @Override
    public String localRegion() {
        return localRegion;
    }

    @Override
    public CompletionStage<Home> homeOfUser(String user) {
        return home(Kind.USER, user, () -> CompletableFuture.completedFuture(localRegion));
    }

    @Override
    public CompletionStage<Home> homeOfConversation(String conversation) {
        return home(Kind.CONVERSATION, conversation, () -> firstContactRegion(conversation));
    }

    @Override
    public void forget(Kind kind, String id) {
        cache.remove(kind, id);
    }

    private CompletionStage<Home> home(Kind kind, String id, RegionRule firstContact) {
        Objects.requireNonNull(id, "id");
        Home cached = cache.get(kind, id);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return store.home(kind, id)
                .thenCompose(stored -> stored.isPresent()
                        ? CompletableFuture.completedFuture(stored.get())
                        : firstContact.region().thenCompose(region -> store.claimIfAbsent(kind, id, region)))
                .thenApply(stored -> {
                    Home home = toHome(stored);
                    cache.put(kind, id, home);
                    return home;
                });
    }

    private CompletionStage<String> firstContactRegion(String conversation) {
        if (ConversationId.isValid(conversation)) {
            ConversationId id = ConversationId.parse(conversation);
            if (id.isDirect()) {
                return homeOfUser(id.directMembers().get(0)).thenApply(Home::region);
            }
        }
        return CompletableFuture.completedFuture(localRegion);
    }

    private static Home toHome(StoredHome stored) {
        return new Home(stored.region(), stored.epoch(), stored.movingTo());
    }

    @FunctionalInterface
    private interface RegionRule {
        CompletionStage<String> region();
    }
}
