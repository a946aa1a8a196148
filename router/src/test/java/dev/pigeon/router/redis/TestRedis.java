package dev.pigeon.router.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.util.UUID;

/**
 * The Redis the integration tests run against, named by {@code PIGEON_TEST_REDIS}: one URL for a
 * single server, or a comma-separated list of a Redis Cluster's nodes.
 */
final class TestRedis {
    static final String ENV = "PIGEON_TEST_REDIS";

    private TestRedis() {
    }

    static String url() {
        String url = System.getenv(ENV);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(ENV + " is not set. Start a Redis and name it, e.g. "
                    + "ops/bin/redis start --dir /tmp/pigeon-redis --port 6390 and "
                    + ENV + "=redis://127.0.0.1:6390");
        }
        return url;
    }

    /** A small client for one simulated node; the test shuts it down. */
    static RedissonClient client(String url) {
        Config config = new Config();
        config.setThreads(2);
        config.setNettyThreads(4);
        if (url.contains(",")) {
            config.useClusterServers()
                    .addNodeAddress(url.split(","))
                    .setMasterConnectionMinimumIdleSize(2)
                    .setMasterConnectionPoolSize(8)
                    .setSubscriptionConnectionMinimumIdleSize(1)
                    .setSubscriptionConnectionPoolSize(4);
        } else {
            config.useSingleServer()
                    .setAddress(url)
                    .setConnectionMinimumIdleSize(2)
                    .setConnectionPoolSize(8)
                    .setSubscriptionConnectionMinimumIdleSize(1)
                    .setSubscriptionConnectionPoolSize(4);
        }
        return Redisson.create(config);
    }

    static RedissonClient client() {
        return client(url());
    }

    /** A prefix no other test class (or run) shares. */
    static String prefix(Class<?> testClass) {
        return testClass.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void deleteEverything(RedissonClient redis, String prefix) {
        redis.getKeys().deleteByPattern(RedisKeys.of(prefix).everything());
    }
}
