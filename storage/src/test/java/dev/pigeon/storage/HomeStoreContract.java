package dev.pigeon.storage;

import dev.pigeon.storage.HomeStore.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link HomeStore} implementation must have. Every test works on fresh,
 * randomly named ids, so one store may serve all tests of a class.
 */
public abstract class HomeStoreContract {
    private static final int CLAIMERS = 8;

    /** The store under test; the same instance may be returned to every test. */
    protected abstract HomeStore homes();

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anUnclaimedIdHasNoHome(Kind kind) {
        assertThat(await(homes().home(kind, fresh()))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theFirstClaimWinsAtEpochOneAndLaterClaimsSeeIt(Kind kind) {
        String id = fresh();

        assertThat(await(homes().claimIfAbsent(kind, id, "eu"))).isEqualTo(new StoredHome("eu", 1));
        assertThat(await(homes().claimIfAbsent(kind, id, "us"))).isEqualTo(new StoredHome("eu", 1));
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("eu", 1));
    }

    @Test
    void aUserAndAConversationOfTheSameIdHaveSeparateHomes() {
        String id = fresh();

        await(homes().claimIfAbsent(Kind.USER, id, "eu"));
        await(homes().claimIfAbsent(Kind.CONVERSATION, id, "us"));

        assertThat(await(homes().home(Kind.USER, id))).contains(new StoredHome("eu", 1));
        assertThat(await(homes().home(Kind.CONVERSATION, id))).contains(new StoredHome("us", 1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void ofConcurrentClaimsExactlyOneWinsAndAllSeeIt(Kind kind) throws Exception {
        String id = fresh();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService claimers = Executors.newFixedThreadPool(CLAIMERS);
        try {
            List<Future<StoredHome>> claims = IntStream.range(0, CLAIMERS)
                    .mapToObj(i -> claimers.submit(() -> {
                        start.await();
                        return await(homes().claimIfAbsent(kind, id, "region-" + i));
                    }))
                    .toList();
            start.countDown();
            List<StoredHome> seen = claims.stream().map(HomeStoreContract::get).distinct().toList();

            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).epoch()).isEqualTo(1);
            assertThat(await(homes().home(kind, id))).contains(seen.get(0));
        } finally {
            claimers.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMoveRaisesTheEpochByOne(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));

        assertThat(await(homes().move(kind, id, 1, "us"))).contains(new StoredHome("us", 2));
        assertThat(await(homes().move(kind, id, 2, "eu"))).contains(new StoredHome("eu", 3));
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("eu", 3));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMoveFromAStaleEpochIsRefusedAndChangesNothing(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));
        await(homes().move(kind, id, 1, "us"));

        assertThat(await(homes().move(kind, id, 1, "ap"))).isEmpty();
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("us", 2));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMoveOfAnUnclaimedIdIsRefusedAndClaimsNothing(Kind kind) {
        String id = fresh();

        assertThat(await(homes().move(kind, id, 0, "us"))).isEmpty();
        assertThat(await(homes().move(kind, id, 1, "us"))).isEmpty();
        assertThat(await(homes().home(kind, id))).isEmpty();
    }

    @Test
    void ofConcurrentMovesFromOneEpochExactlyOneWins() throws Exception {
        String id = fresh();
        await(homes().claimIfAbsent(Kind.CONVERSATION, id, "eu"));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService movers = Executors.newFixedThreadPool(CLAIMERS);
        try {
            List<Future<Optional<StoredHome>>> moves = IntStream.range(0, CLAIMERS)
                    .mapToObj(i -> movers.submit(() -> {
                        start.await();
                        return await(homes().move(Kind.CONVERSATION, id, 1, "region-" + i));
                    }))
                    .toList();
            start.countDown();
            List<StoredHome> won = moves.stream().map(HomeStoreContract::get).flatMap(Optional::stream).toList();

            assertThat(won).hasSize(1);
            assertThat(won.get(0).epoch()).isEqualTo(2);
            assertThat(await(homes().home(Kind.CONVERSATION, id))).contains(won.get(0));
        } finally {
            movers.shutdownNow();
        }
    }

    private static String fresh() {
        return "home-" + UUID.randomUUID();
    }

    private static <T> T await(CompletionStage<T> stage) {
        return get(stage.toCompletableFuture());
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
