package dev.pigeon.ops.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.pigeon.storage.cassandra.CassandraStoreOptions;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis and Cassandra named by {@code PIGEON_TEST_REDIS} and {@code PIGEON_TEST_CASSANDRA} (set
 * by ops/bin/test), and a keyspace and Redis prefix of one test class's own, removed by {@link #cleanUp}.
 * {@code PIGEON_TEST_SERVICES}, the directory ops/bin/services started them in, lets a test pause them.
 */
record TestServices(String redisUrl, String cassandra, String keyspace, String redisPrefix, String run) {

    static TestServices forOneTestClass() {
        String redis = requiredEnv("PIGEON_TEST_REDIS", "redis://127.0.0.1:6390",
                "ops/bin/redis start --dir /tmp/pigeon-redis --port 6390");
        String cassandra = requiredEnv("PIGEON_TEST_CASSANDRA", "127.0.0.1:9042",
                "ops/bin/cassandra start --dir /tmp/pigeon-cassandra");
        String run = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).toLowerCase(Locale.ROOT);
        return new TestServices(redis, cassandra, "pigeon_it_" + run, "it-" + run, run);
    }

    /** The same keyspace and prefix on another Redis (one a test may stop without disturbing others). */
    TestServices withRedis(String otherRedisUrl) {
        return new TestServices(otherRedisUrl, cassandra, keyspace, redisPrefix, run);
    }

    /** Freezes the shared Cassandra (SIGSTOP): connections stay open and nothing answers. Undo with {@link #resumeCassandra}. */
    void pauseCassandra() {
        OpsScripts.run("cassandra", "pause", "--dir", cassandraDir());
    }

    void resumeCassandra() {
        OpsScripts.run("cassandra", "resume", "--dir", cassandraDir());
    }

    private static String cassandraDir() {
        return Path.of(requiredEnv("PIGEON_TEST_SERVICES", "/tmp/pigeon-services",
                "ops/bin/services up --dir /tmp/pigeon-services")).resolve("cassandra").toString();
    }

    /** Aborts the sockets, stops the nodes newest first, then {@link #cleanUp}. */
    void stopThenCleanUp(List<WebSocket> sockets, List<ClusterNode> nodes) {
        sockets.forEach(WebSocket::abort);
        for (int n = nodes.size() - 1; n >= 0; n--) {
            nodes.get(n).stop();
        }
        cleanUp();
    }

    /** Drops the keyspace and deletes every Redis key under the prefix. */
    void cleanUp() {
        try (CqlSession admin = CqlSession.builder()
                .addContactPoint(CassandraStoreOptions.contactPoint(cassandra))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build()) {
            admin.execute("DROP KEYSPACE IF EXISTS " + keyspace);
        }
        Config config = new Config();
        config.useSingleServer().setAddress(redisUrl);
        RedissonClient redis = Redisson.create(config);
        try {
            redis.getKeys().deleteByPattern("pigeon:" + redisPrefix + ":*");
        } finally {
            redis.shutdown();
        }
    }

    private static String requiredEnv(String name, String example, String start) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: ops/bin/test sets it; by hand, start the server ("
                    + start + ") and set " + name + "=" + example);
        }
        return value;
    }
}
