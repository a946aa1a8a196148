package dev.pigeon.ops.regions;

import java.nio.file.Path;

/**
 * The Redis and the Cassandra data centre of one region, as {@code ops/bin/services up --regions}
 * started them, and the directories their scripts stop and start them by.
 *
 * @param redisUrl     {@code redis://host:port}
 * @param cassandra    the data centre's contact point, {@code host:port}
 * @param datacenter   the data centre's name
 * @param redisDir     the directory of {@code ops/bin/redis --dir}
 * @param cassandraDir the directory of {@code ops/bin/cassandra --dir}
 */
public record RegionServices(String redisUrl, String cassandra, String datacenter, Path redisDir, Path cassandraDir) {

    /** Stops the data centre's node (SIGTERM, then SIGKILL after a minute); returns once it has exited. */
    public void stopCassandra(OpsBin bin) {
        bin.run("cassandra", "stop", "--dir", cassandraDir.toString());
    }

    /** Starts the data centre's node again as it ran before; returns once it answers CQL. */
    public void startCassandra(OpsBin bin) {
        bin.run("cassandra", "start", "--dir", cassandraDir.toString());
    }

    /** Stops the Redis (every key is gone: it keeps none on disk). */
    public void stopRedis(OpsBin bin) {
        bin.run("redis", "stop", "--dir", redisDir.toString());
    }

    /** Starts the Redis again on its port, empty; returns once it answers PING. */
    public void startRedis(OpsBin bin) {
        bin.run("redis", "start", "--dir", redisDir.toString());
    }
}
