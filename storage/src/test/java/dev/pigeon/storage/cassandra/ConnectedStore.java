package dev.pigeon.storage.cassandra;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Cassandra store on a keyspace of the test class's own: connected before its first test, closed
 * and the keyspace dropped after its last. Register it on a static field with {@code @RegisterExtension}.
 */
final class ConnectedStore implements BeforeAllCallback, AfterAllCallback {
    private TestKeyspace keyspace;
    private CassandraMessageStore store;

    @Override
    public void beforeAll(ExtensionContext context) {
        keyspace = TestKeyspace.create();
        store = CassandraMessageStore.connect(keyspace.options());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (store != null) {
            store.close();
        }
        if (keyspace != null) {
            keyspace.close();
        }
    }

    CassandraMessageStore store() {
        return store;
    }

    TestKeyspace keyspace() {
        return keyspace;
    }
}
