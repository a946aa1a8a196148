package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.HomeStoreContract;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.StoredHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The home store contract against a real Cassandra, in a keyspace of its own. */
class CassandraHomeStoreIT extends HomeStoreContract {
    @RegisterExtension
    static final ConnectedStore cassandra = new ConnectedStore();

    @Override
    protected HomeStore homes() {
        return cassandra.store();
    }

    @Test
    void aClaimThatFindsTheHomeTakenRepairsAnIndexRowLostInACrash() {
        String region = "region-" + UUID.randomUUID();
        String id = "home-" + UUID.randomUUID();
        cassandra.store().claimIfAbsent(Kind.USER, id, region).toCompletableFuture().join();
        cassandra.keyspace().session().execute("DELETE FROM homes_by_region WHERE region = ? AND kind = 'USER' AND id = ?",
                region, id);
        assertThat(cassandra.store().homedIn(region).toCompletableFuture().join()).isEmpty();

        cassandra.store().claimIfAbsent(Kind.USER, id, "elsewhere").toCompletableFuture().join();

        assertThat(cassandra.store().homedIn(region).toCompletableFuture().join())
                .containsExactly(new HomedId(Kind.USER, id, new StoredHome(region, 1)));
    }

    @Test
    void anIndexRowLeftBehindByAMoveIsNotListed() {
        String from = "region-" + UUID.randomUUID();
        String id = "home-" + UUID.randomUUID();
        cassandra.store().claimIfAbsent(Kind.CONVERSATION, id, from).toCompletableFuture().join();
        cassandra.store().move(Kind.CONVERSATION, id, 1, "elsewhere").toCompletableFuture().join();
        cassandra.keyspace().session().execute(
                "INSERT INTO homes_by_region (region, kind, id) VALUES (?, 'CONVERSATION', ?)", from, id);

        assertThat(cassandra.store().homedIn(from).toCompletableFuture().join()).isEmpty();
    }
}
