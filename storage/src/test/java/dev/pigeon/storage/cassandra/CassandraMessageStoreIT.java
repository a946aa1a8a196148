package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.MessageStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract against a real Cassandra, in a keyspace of its own. */
class CassandraMessageStoreIT extends MessageStoreContract {
    @RegisterExtension
    static final ConnectedStore cassandra = new ConnectedStore();

    @Override
    protected MessageStore store() {
        return cassandra.store();
    }
}
