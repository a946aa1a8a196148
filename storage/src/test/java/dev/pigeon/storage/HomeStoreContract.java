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
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static dev.pigeon.storage.Stages.failure;
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

        List<StoredHome> seen = concurrently(i -> homes().claimIfAbsent(kind, id, "region-" + i)).stream()
                .distinct().toList();

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).epoch()).isEqualTo(1);
        assertThat(await(homes().home(kind, id))).contains(seen.get(0));
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

        List<StoredHome> won = concurrently(i -> homes().move(Kind.CONVERSATION, id, 1, "region-" + i)).stream()
                .flatMap(Optional::stream).toList();

        assertThat(won).hasSize(1);
        assertThat(won.get(0).epoch()).isEqualTo(2);
        assertThat(await(homes().home(Kind.CONVERSATION, id))).contains(won.get(0));
    }

    // ---- planned moves ----

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMarkAgainstTheCurrentEpochKeepsTheHomeAndNamesWhereItMoves(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));

        assertThat(await(homes().markMoving(kind, id, 1, "us"))).contains(new StoredHome("eu", 1, "us"));
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("eu", 1, "us"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMarkAgainstAnotherEpochOrOfAnUnclaimedIdIsRefusedAndChangesNothing(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));
        await(homes().move(kind, id, 1, "us"));
        String unclaimed = fresh();

        assertThat(await(homes().markMoving(kind, id, 1, "ap"))).isEmpty();
        assertThat(await(homes().markMoving(kind, id, 3, "ap"))).isEmpty();
        assertThat(await(homes().markMoving(kind, unclaimed, 1, "ap"))).isEmpty();
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("us", 2));
        assertThat(await(homes().home(kind, unclaimed))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMovingHomeCannotBeMarkedAgain(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));
        await(homes().markMoving(kind, id, 1, "us"));

        assertThat(await(homes().markMoving(kind, id, 1, "ap"))).isEmpty();
        assertThat(await(homes().markMoving(kind, id, 1, "us"))).isEmpty();
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("eu", 1, "us"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theMoveClearsTheMarkAndTheNewEpochCanBeMarkedAgain(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));
        await(homes().markMoving(kind, id, 1, "us"));

        assertThat(await(homes().move(kind, id, 1, "us"))).contains(new StoredHome("us", 2));
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("us", 2));
        assertThat(await(homes().markMoving(kind, id, 2, "eu"))).contains(new StoredHome("us", 2, "eu"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMarkedHomeStillMovesOnlyFromItsEpoch(Kind kind) {
        String id = fresh();
        await(homes().claimIfAbsent(kind, id, "eu"));
        await(homes().move(kind, id, 1, "us"));
        await(homes().markMoving(kind, id, 2, "ap"));

        assertThat(await(homes().move(kind, id, 1, "ap"))).isEmpty();
        assertThat(await(homes().move(kind, id, 3, "ap"))).isEmpty();
        assertThat(await(homes().home(kind, id))).contains(new StoredHome("us", 2, "ap"));
    }

    @Test
    void ofConcurrentMarksFromOneEpochExactlyOneWins() throws Exception {
        String id = fresh();
        await(homes().claimIfAbsent(Kind.USER, id, "eu"));

        List<StoredHome> won = concurrently(i -> homes().markMoving(Kind.USER, id, 1, "region-" + i)).stream()
                .flatMap(Optional::stream).toList();

        assertThat(won).hasSize(1);
        assertThat(await(homes().home(Kind.USER, id))).contains(won.get(0));
    }

    // ---- stream starts ----

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theFirstRecordedStartOfAnEpochHoldsAndLaterOnesSeeIt(Kind kind) {
        String id = fresh();

        assertThat(await(homes().recordStreamStart(kind, id, 2, 10))).isEqualTo(10);
        assertThat(await(homes().recordStreamStart(kind, id, 2, 12))).isEqualTo(10);
        assertThat(await(homes().streamStarts(kind, id))).containsExactly(new StreamStart(2, 10));
    }

    @Test
    void ofConcurrentRecordsOfOneEpochExactlyOneValueHolds() throws Exception {
        String id = fresh();

        List<Long> seen = concurrently(i -> homes().recordStreamStart(Kind.CONVERSATION, id, 2, 100 + i));

        assertThat(seen).hasSize(CLAIMERS).containsOnly(seen.get(0));
        assertThat(seen.get(0)).isBetween(100L, 100L + CLAIMERS - 1);
        assertThat(await(homes().streamStarts(Kind.CONVERSATION, id))).containsExactly(new StreamStart(2, seen.get(0)));
    }

    @Test
    void startsAreListedByEpochAscendingAndKeptApartByKindAndId() {
        String id = fresh();
        await(homes().recordStreamStart(Kind.USER, id, 4, 30));
        await(homes().recordStreamStart(Kind.USER, id, 2, 10));
        await(homes().recordStreamStart(Kind.USER, id, 3, 20));
        await(homes().recordStreamStart(Kind.CONVERSATION, id, 2, 99));
        await(homes().recordStreamStart(Kind.USER, id + "x", 2, 77));

        assertThat(await(homes().streamStarts(Kind.USER, id)))
                .containsExactly(new StreamStart(2, 10), new StreamStart(3, 20), new StreamStart(4, 30));
        assertThat(await(homes().streamStarts(Kind.CONVERSATION, id))).containsExactly(new StreamStart(2, 99));
        assertThat(await(homes().streamStarts(Kind.CONVERSATION, fresh()))).isEmpty();
    }

    @Test
    void aStartOfTheFirstEpochOrBeforePositionOneIsRefusedAndNotStored() {
        String id = fresh();

        assertThat(failure(homes().recordStreamStart(Kind.USER, id, 1, 5))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(homes().recordStreamStart(Kind.USER, id, 0, 5))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(homes().recordStreamStart(Kind.USER, id, 2, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(await(homes().streamStarts(Kind.USER, id))).isEmpty();
    }

    // ---- what each region holds ----

    @Test
    void everyClaimIsListedUnderItsRegion() {
        String region = freshRegion();
        String user = fresh();
        String conversation = fresh();
        await(homes().claimIfAbsent(Kind.USER, user, region));
        await(homes().claimIfAbsent(Kind.CONVERSATION, conversation, region));
        await(homes().claimIfAbsent(Kind.USER, fresh(), freshRegion()));

        assertThat(await(homes().homedIn(region))).containsExactlyInAnyOrder(
                new HomedId(Kind.USER, user, new StoredHome(region, 1)),
                new HomedId(Kind.CONVERSATION, conversation, new StoredHome(region, 1)));
    }

    @Test
    void aLostClaimIsNotListedUnderTheLosersRegion() {
        String winner = freshRegion();
        String loser = freshRegion();
        String id = fresh();
        await(homes().claimIfAbsent(Kind.USER, id, winner));
        await(homes().claimIfAbsent(Kind.USER, id, loser));

        assertThat(await(homes().homedIn(loser))).isEmpty();
        assertThat(await(homes().homedIn(winner))).containsExactly(new HomedId(Kind.USER, id, new StoredHome(winner, 1)));
    }

    @Test
    void aMovedIdIsListedUnderItsNewRegionOnly() {
        String from = freshRegion();
        String to = freshRegion();
        String moved = fresh();
        String stays = fresh();
        await(homes().claimIfAbsent(Kind.CONVERSATION, moved, from));
        await(homes().claimIfAbsent(Kind.CONVERSATION, stays, from));
        await(homes().markMoving(Kind.CONVERSATION, stays, 1, to));
        await(homes().move(Kind.CONVERSATION, moved, 1, to));

        assertThat(await(homes().homedIn(to))).containsExactly(new HomedId(Kind.CONVERSATION, moved, new StoredHome(to, 2)));
        assertThat(await(homes().homedIn(from))).containsExactly(
                new HomedId(Kind.CONVERSATION, stays, new StoredHome(from, 1, to)));
    }

    @Test
    void aRegionWithNothingHomedListsNothing() {
        assertThat(await(homes().homedIn(freshRegion()))).isEmpty();
    }

    // ---- bad input ----

    @Test
    void invalidTextIsRefusedOnEveryPathAndNothingIsStored() {
        String bad = "half \uD83D pair";
        String id = fresh();
        await(homes().claimIfAbsent(Kind.USER, id, "eu"));

        assertThat(List.<Function<HomeStore, CompletionStage<?>>>of(
                store -> store.home(Kind.USER, bad),
                store -> store.claimIfAbsent(Kind.USER, bad, "eu"),
                store -> store.claimIfAbsent(Kind.USER, fresh(), bad),
                store -> store.move(Kind.USER, id, 1, bad),
                store -> store.markMoving(Kind.USER, id, 1, bad),
                store -> store.recordStreamStart(Kind.USER, bad, 2, 1),
                store -> store.streamStarts(Kind.USER, bad),
                store -> store.homedIn(bad)))
                .allSatisfy(call -> assertThat(failure(call.apply(homes()))).isInstanceOf(IllegalArgumentException.class));
        assertThat(await(homes().home(Kind.USER, id))).contains(new StoredHome("eu", 1));
    }

    @Test
    void nullIsRefusedOnEveryPathAndNothingIsStored() {
        String id = fresh();
        await(homes().claimIfAbsent(Kind.USER, id, "eu"));

        assertThat(List.<Function<HomeStore, CompletionStage<?>>>of(
                store -> store.home(null, id),
                store -> store.home(Kind.USER, null),
                store -> store.claimIfAbsent(null, fresh(), "eu"),
                store -> store.claimIfAbsent(Kind.USER, fresh(), null),
                store -> store.move(Kind.USER, id, 1, null),
                store -> store.markMoving(Kind.USER, id, 1, null),
                store -> store.markMoving(null, id, 1, "us"),
                store -> store.recordStreamStart(Kind.USER, null, 2, 1),
                store -> store.streamStarts(null, id),
                store -> store.homedIn(null)))
                .allSatisfy(call -> assertThat(failure(call.apply(homes()))).isInstanceOf(NullPointerException.class));
        assertThat(await(homes().home(Kind.USER, id))).contains(new StoredHome("eu", 1));
    }

    /** Runs {@code call} from {@value #CLAIMERS} threads released at once; their answers in thread order. */
    private static <T> List<T> concurrently(IntFunction<CompletionStage<T>> call) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(CLAIMERS);
        try {
            List<Future<T>> answers = IntStream.range(0, CLAIMERS)
                    .mapToObj(i -> callers.submit(() -> {
                        start.await();
                        return await(call.apply(i));
                    }))
                    .toList();
            start.countDown();
            return answers.stream().map(HomeStoreContract::get).toList();
        } finally {
            callers.shutdownNow();
        }
    }

    private static String fresh() {
        return "home-" + UUID.randomUUID();
    }

    private static String freshRegion() {
        return "region-" + UUID.randomUUID();
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
