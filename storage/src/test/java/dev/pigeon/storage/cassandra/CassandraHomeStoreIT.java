package dev.pigeon.storage.cassandra;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The home store contract against a real Cassandra, in a keyspace of its own. */
class CassandraHomeStoreIT extends HomeStoreContract {
    @RegisterExtension
    static final ConnectedStore cassandra = new ConnectedStore();

    @Override
    protected HomeStore homes() {
        return cassandra.store();
    }
}
