package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The home store contract against a real Cassandra, in a keyspace of its own. */
class CassandraHomeStoreIT extends HomeStoreContract {
    private static TestKeyspace keyspace;
    private static CassandraMessageStore store;

    @BeforeAll
    static void connect() {
        keyspace = TestKeyspace.create();
        store = CassandraMessageStore.connect(keyspace.options());
    }

    @AfterAll
    static void closeAndDrop() {
        if (store != null) {
            store.close();
        }
        if (keyspace != null) {
            keyspace.close();
        }
    }

    @Override
    protected HomeStore homes() {
        return store;
    }
}
