package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.RegionStore;
import dev.pigeon.storage.RegionStore.OutboxEntry;
import dev.pigeon.storage.RegionStore.RegionBeat;
import dev.pigeon.storage.RegionStore.RegionFailover;
import dev.pigeon.storage.RegionStore.Recovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import static dev.pigeon.storage.Stages.await;
import static dev.pigeon.storage.Stages.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** What regions keep about each other, against a real Cassandra, in a keyspace of its own. */
class CassandraRegionStoreIT {
    @RegisterExtension
    static final ConnectedStore cassandra = new ConnectedStore();
    private static RegionStore regions;

    @BeforeAll
    static void shorthands() {
        regions = cassandra.store().regions();
    }

    // ---- heartbeats ----

    @Test
    void beatsKeepEachNodesNewestBeat() {
        String eu = fresh("eu");
        String us = fresh("us");
        await(regions.beat(new RegionBeat(eu, "eu-1", 1_000)));
        await(regions.beat(new RegionBeat(eu, "eu-1", 2_000)));
        await(regions.beat(new RegionBeat(eu, "eu-2", 1_500)));
        await(regions.beat(new RegionBeat(us, "us-1", 1_700)));

        assertThat(await(regions.beats())).filteredOn(beat -> beat.region().equals(eu) || beat.region().equals(us))
                .containsExactlyInAnyOrder(new RegionBeat(eu, "eu-1", 2_000), new RegionBeat(eu, "eu-2", 1_500),
                        new RegionBeat(us, "us-1", 1_700));
    }

    // ---- outbox ----

    @Test
    void anOutboxEntryOnlyRises() {
        String region = fresh("us");
        String conversation = fresh("g");

        await(regions.recordOutbox(region, conversation, 5));
        await(regions.recordOutbox(region, conversation, 3));
        assertThat(await(regions.outbox(region, 10))).containsExactly(new OutboxEntry(conversation, 5));

        await(regions.recordOutbox(region, conversation, 7));
        assertThat(await(regions.outbox(region, 10))).containsExactly(new OutboxEntry(conversation, 7));
    }

    @Test
    void aClearRemovesTheEntryItPlacedButNotARaiseAboveIt() {
        String region = fresh("us");
        String conversation = fresh("g");
        await(regions.recordOutbox(region, conversation, 5));
        await(regions.recordOutbox(region, conversation, 8));

        await(regions.clearOutbox(region, conversation, 5));
        assertThat(await(regions.outbox(region, 10))).containsExactly(new OutboxEntry(conversation, 8));

        await(regions.clearOutbox(region, conversation, 8));
        assertThat(await(regions.outbox(region, 10))).isEmpty();
    }

    @Test
    void aRaiseAfterAClearShowsAgainOnlyAboveWhatWasCleared() {
        String region = fresh("us");
        String conversation = fresh("g");
        await(regions.recordOutbox(region, conversation, 5));
        await(regions.clearOutbox(region, conversation, 5));

        await(regions.recordOutbox(region, conversation, 5));
        await(regions.recordOutbox(region, conversation, 4));
        assertThat(await(regions.outbox(region, 10))).isEmpty();

        await(regions.recordOutbox(region, conversation, 6));
        assertThat(await(regions.outbox(region, 10))).containsExactly(new OutboxEntry(conversation, 6));
    }

    @Test
    void aClearThatArrivesBeforeTheRaiseItCoversStillCoversIt() {
        String region = fresh("us");
        String conversation = fresh("g");

        await(regions.clearOutbox(region, conversation, 9));
        await(regions.recordOutbox(region, conversation, 9));

        assertThat(await(regions.outbox(region, 10))).isEmpty();
    }

    @Test
    void theOutboxOfARegionListsItsConversationsUpToTheLimit() {
        String region = fresh("us");
        List<String> conversations = List.of(fresh("g"), fresh("g"), fresh("g"));
        for (int i = 0; i < conversations.size(); i++) {
            await(regions.recordOutbox(region, conversations.get(i), i + 1));
        }
        await(regions.recordOutbox(fresh("ap"), fresh("g"), 1));

        assertThat(await(regions.outbox(region, 10))).extracting(OutboxEntry::conversation)
                .containsExactlyInAnyOrderElementsOf(conversations);
        assertThat(await(regions.outbox(region, 2))).hasSize(2);
        assertThat(await(regions.outbox(region, 0))).isEmpty();
        assertThat(await(regions.outbox(fresh("none"), 10))).isEmpty();
    }

    // ---- conversations of a user ----

    @Test
    void aUsersConversationsAreRecordedOnceEach() {
        String user = fresh("u");
        await(regions.addConversation(user, "g:b"));
        await(regions.addConversation(user, "g:a"));
        await(regions.addConversation(user, "g:b"));
        await(regions.addConversation(fresh("u"), "g:c"));

        assertThat(await(regions.conversationsOf(user))).containsExactly("g:a", "g:b");
        assertThat(await(regions.conversationsOf(fresh("u")))).isEmpty();
    }

    // ---- failovers ----

    @Test
    void aFailoverIsRecordedAndARejoinReplacesIt() {
        String region = fresh("eu");
        String other = fresh("ap");
        await(regions.recordFailover(new RegionFailover(region, "us-1", 1_000, 0)));
        await(regions.recordFailover(new RegionFailover(other, "us-2", 1_100, 0)));
        assertThat(await(regions.failovers())).filteredOn(failover -> failover.region().equals(region))
                .singleElement().satisfies(failover -> assertThat(failover.lost()).isTrue())
                .isEqualTo(new RegionFailover(region, "us-1", 1_000, 0));

        await(regions.recordFailover(new RegionFailover(region, "us-1", 1_000, 5_000)));

        assertThat(await(regions.failovers())).filteredOn(failover -> failover.region().equals(region)
                        || failover.region().equals(other))
                .containsExactlyInAnyOrder(new RegionFailover(region, "us-1", 1_000, 5_000),
                        new RegionFailover(other, "us-2", 1_100, 0));
    }

    // ---- recoveries ----

    @Test
    void aRecoveryIsRecordedOncePerOldPosition() {
        String conversation = fresh("g");
        Recovery first = new Recovery(conversation, 1, 12, "alice", "m-12", 14);

        assertThat(await(regions.recordRecovery(first))).isTrue();
        assertThat(await(regions.recordRecovery(first))).isFalse();
        assertThat(await(regions.recordRecovery(new Recovery(conversation, 1, 12, "alice", "m-12", 20)))).isFalse();

        assertThat(await(regions.recoveries(conversation))).containsExactly(first);
    }

    @Test
    void recoveriesAreListedByOldEpochAndPosition() {
        String conversation = fresh("g");
        Recovery later = new Recovery(conversation, 2, 3, "bob", "b-3", 31);
        Recovery second = new Recovery(conversation, 1, 13, "alice", "a-13", 30);
        Recovery first = new Recovery(conversation, 1, 12, "alice", "a-12", 29);
        for (Recovery recovery : List.of(later, second, first)) {
            await(regions.recordRecovery(recovery));
        }
        await(regions.recordRecovery(new Recovery(fresh("g"), 1, 1, "carol", "c-1", 2)));

        assertThat(await(regions.recoveries(conversation))).containsExactly(first, second, later);
        assertThat(await(regions.recoveries(fresh("g")))).isEmpty();
    }

    // ---- bad input ----

    @Test
    void invalidTextIsRefusedOnEveryPathAndNothingIsStored() {
        String bad = "half \uD83D pair";
        String region = fresh("us");
        String user = fresh("u");
        String conversation = fresh("g");

        assertThat(List.<Function<RegionStore, CompletionStage<?>>>of(
                store -> store.beat(new RegionBeat(region, bad, 1)),
                store -> store.recordOutbox(region, bad, 1),
                store -> store.recordOutbox(bad, conversation, 1),
                store -> store.outbox(bad, 1),
                store -> store.clearOutbox(region, bad, 1),
                store -> store.addConversation(user, bad),
                store -> store.conversationsOf(bad),
                store -> store.recordFailover(new RegionFailover(region, bad, 1, 0)),
                store -> store.recordRecovery(new Recovery(conversation, 1, 1, "alice", bad, 2)),
                store -> store.recoveries(bad)))
                .allSatisfy(call -> assertThat(failure(call.apply(regions))).isInstanceOf(IllegalArgumentException.class));
        assertNothingStored(region, user, conversation);
    }

    @Test
    void nullIsRefusedOnEveryPathAndNothingIsStored() {
        String region = fresh("us");
        String user = fresh("u");
        String conversation = fresh("g");

        assertThat(List.<Function<RegionStore, CompletionStage<?>>>of(
                store -> store.beat(null),
                store -> store.beat(new RegionBeat(region, null, 1)),
                store -> store.recordOutbox(region, null, 1),
                store -> store.outbox(null, 1),
                store -> store.clearOutbox(null, conversation, 1),
                store -> store.addConversation(user, null),
                store -> store.conversationsOf(null),
                store -> store.recordFailover(null),
                store -> store.recordFailover(new RegionFailover(region, null, 1, 0)),
                store -> store.recordRecovery(new Recovery(conversation, 1, 1, null, "m", 2)),
                store -> store.recoveries(null)))
                .allSatisfy(call -> assertThat(failure(call.apply(regions))).isInstanceOf(NullPointerException.class));
        assertNothingStored(region, user, conversation);
    }

    @Test
    void positionsBelowOneAndNegativeTimesOrLimitsAreRefused() {
        String region = fresh("us");
        String user = fresh("u");
        String conversation = fresh("g");

        assertThat(List.<Function<RegionStore, CompletionStage<?>>>of(
                store -> store.beat(new RegionBeat(region, "n", -1)),
                store -> store.recordOutbox(region, conversation, 0),
                store -> store.recordOutbox(region, conversation, -5),
                store -> store.clearOutbox(region, conversation, 0),
                store -> store.outbox(region, -1),
                store -> store.recordFailover(new RegionFailover(region, "n", -1, 0)),
                store -> store.recordRecovery(new Recovery(conversation, 0, 1, "alice", "m", 2)),
                store -> store.recordRecovery(new Recovery(conversation, 1, 0, "alice", "m", 2)),
                store -> store.recordRecovery(new Recovery(conversation, 1, 1, "alice", "m", 0))))
                .allSatisfy(call -> assertThat(failure(call.apply(regions))).isInstanceOf(IllegalArgumentException.class));
        assertNothingStored(region, user, conversation);
    }

    // ---- schema ----

    @Test
    void theRegionsMigrationRunsAgainWithoutChangingAnything() {
        String conversation = fresh("g");
        await(regions.recordRecovery(new Recovery(conversation, 1, 1, "alice", "m-1", 2)));

        SchemaMigrations.statements("004_regions.cql").forEach(statement -> cassandra.keyspace().session().execute(statement));

        assertThat(await(regions.recoveries(conversation))).containsExactly(new Recovery(conversation, 1, 1, "alice", "m-1", 2));
    }

    private static void assertNothingStored(String region, String user, String conversation) {
        assertThat(await(regions.beats())).noneMatch(beat -> beat.region().equals(region));
        assertThat(await(regions.outbox(region, 10))).isEmpty();
        assertThat(await(regions.conversationsOf(user))).isEmpty();
        assertThat(await(regions.failovers())).noneMatch(failover -> failover.region().equals(region));
        assertThat(await(regions.recoveries(conversation))).isEmpty();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
