package dev.pigeon.ops.regions;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.pigeon.storage.cassandra.CassandraStoreOptions;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two regions' services of the region tests, as ops/bin/test starts them once for all
 * ({@code ops/bin/services up --regions}) and names them in {@code PIGEON_TEST_REDIS},
 * {@code PIGEON_TEST_REDIS_2}, {@code PIGEON_TEST_CASSANDRA}, {@code PIGEON_TEST_CASSANDRA_DC2} and
 * {@code PIGEON_TEST_SERVICES}: region eu on the first Redis and data centre, region us on the
 * second. A test that stops a data centre or a Redis starts it again before it ends.
 */
public record TestRegions(TwoRegionServices services, OpsBin bin) {
    /** The regions' names, eu on the first services, us on the second. */
    public static final List<String> NAMES = RegionsPlan.DEFAULT_REGIONS;

    /** Whether a second data centre runs: false in the main test run, where region tests assume it away. */
    public static boolean available() {
        String dc2 = System.getenv(TwoRegionServices.SECOND_DATACENTER_VARIABLE);
        return dc2 != null && !dc2.isBlank();
    }

    /**
     * The services the environment names; the scripts' output goes to this test JVM's stderr.
     *
     * @throws IllegalStateException naming a variable that is not set
     */
    public static TestRegions fromEnvironment() {
        return new TestRegions(TwoRegionServices.fromVariables(System.getenv()),
                new OpsBin(OpsBin.locate(), ProcessBuilder.Redirect.INHERIT));
    }

    /** eu's or us's Redis and data centre. */
    public RegionServices region(String name) {
        return switch (name) {
            case "eu" -> services.first();
            case "us" -> services.second();
            default -> throw new IllegalArgumentException("the test regions are " + NAMES + ", not " + name);
        };
    }

    public String redisUrl(String region) {
        return region(region).redisUrl();
    }

    /** The contact point of the region's data centre, {@code host:port}. */
    public String cassandra(String region) {
        return region(region).cassandra();
    }

    public String datacenter(String region) {
        return region(region).datacenter();
    }

    /** Each region's data centre, as {@code pigeon node --region-datacenters} takes them. */
    public Map<String, String> datacenters() {
        return Map.of(NAMES.get(0), datacenter(NAMES.get(0)), NAMES.get(1), datacenter(NAMES.get(1)));
    }

    /** Stops the region's Cassandra node; returns once it has exited. */
    public void stopDatacenter(String region) {
        region(region).stopCassandra(bin);
    }

    /** Starts the region's Cassandra node again; returns once it answers CQL. */
    public void startDatacenter(String region) {
        region(region).startCassandra(bin);
    }

    public void stopRedis(String region) {
        region(region).stopRedis(bin);
    }

    /** Starts the region's Redis again, empty. */
    public void startRedis(String region) {
        region(region).startRedis(bin);
    }

    /** Drops the plan's keyspace and deletes its keys from both Redis servers. */
    public void cleanUp(RegionsPlan plan) {
        try (CqlSession admin = CqlSession.builder()
                .addContactPoint(CassandraStoreOptions.contactPoint(services.first().cassandra()))
                .withLocalDatacenter(services.first().datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build()) {
            admin.execute("DROP KEYSPACE IF EXISTS " + plan.keyspace());
        }
        for (RegionServices region : services.both()) {
            Config config = new Config();
            config.useSingleServer().setAddress(region.redisUrl());
            RedissonClient redis = Redisson.create(config);
            try {
                redis.getKeys().deleteByPattern("pigeon:" + plan.redisPrefix() + ":*");
            } finally {
                redis.shutdown();
            }
        }
    }

    /**
     * A deployment plan on these services with a keyspace and Redis prefix of its own and free ports,
     * logging to {@code dir}; the caller may change it further before {@code build()}.
     */
    public RegionsPlan.Builder plan(Path dir) {
        String run = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).toLowerCase(Locale.ROOT);
        return RegionsPlan.builder(dir)
                .runningServices(services)
                .keyspace("pigeon_it_" + run)
                .redisPrefix("it-" + run)
                .progress(ProcessBuilder.Redirect.INHERIT);
    }
}
