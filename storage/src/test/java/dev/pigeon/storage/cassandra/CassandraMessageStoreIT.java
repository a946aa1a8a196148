package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.MessageStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract against a real Cassandra, in a keyspace of its own. */
class CassandraMessageStoreIT extends MessageStoreContract {
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
    protected MessageStore store() {
        return store;
    }
}
