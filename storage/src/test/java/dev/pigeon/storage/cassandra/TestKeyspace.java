package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh keyspace on the Cassandra named by {@code PIGEON_TEST_CASSANDRA} (host:port, e.g. as
 * started by {@code ops/bin/cassandra start}), dropped by {@link #close()}. The data centre is
 * {@code PIGEON_TEST_CASSANDRA_DC}, dc1 when unset. Also a plain session on the keyspace, for
 * tests that write rows as a crashed writer would have left them.
 */
public final class TestKeyspace implements AutoCloseable {
    public static final String SERVER_VARIABLE = "PIGEON_TEST_CASSANDRA";
    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);

    private final CassandraStoreOptions options;
    private CqlSession session;

    private TestKeyspace(CassandraStoreOptions options) {
        this.options = options;
    }

    public static TestKeyspace create() {
        String server = System.getenv(SERVER_VARIABLE);
        if (server == null || server.isBlank()) {
            throw new IllegalStateException(SERVER_VARIABLE + " is not set: start a Cassandra with"
                    + " `ops/bin/cassandra start --dir DIR --port PORT` and set " + SERVER_VARIABLE + "=127.0.0.1:PORT");
        }
        String datacenter = System.getenv().getOrDefault("PIGEON_TEST_CASSANDRA_DC", "dc1");
        String keyspace = "pigeon_it_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36)
                .toLowerCase(Locale.ROOT);
        return new TestKeyspace(CassandraStoreOptions.builder()
                .contactPoints(List.of(CassandraStoreOptions.contactPoint(server)))
                .localDatacenter(datacenter)
                .keyspace(keyspace)
                .build());
    }

    public CassandraStoreOptions options() {
        return options;
    }

    public CassandraStoreOptions.Builder optionsBuilder() {
        return CassandraStoreOptions.builder()
                .contactPoints(options.contactPoints())
                .localDatacenter(options.localDatacenter())
                .keyspace(options.keyspace());
    }

    /** A plain session on the keyspace (which a store must have created first). */
    public synchronized CqlSession session() {
        if (session == null) {
            session = CqlSession.builder()
                    .addContactPoints(options.contactPoints())
                    .withLocalDatacenter(options.localDatacenter())
                    .withKeyspace(options.keyspace())
                    .withConfigLoader(config())
                    .build();
        }
        return session;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
        }
        try (CqlSession admin = CqlSession.builder()
                .addContactPoints(options.contactPoints())
                .withLocalDatacenter(options.localDatacenter())
                .withConfigLoader(config())
                .build()) {
            admin.execute("DROP KEYSPACE IF EXISTS " + options.keyspace());
        }
    }

    private static DriverConfigLoader config() {
        return DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, SCHEMA_TIMEOUT)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
    }
}
