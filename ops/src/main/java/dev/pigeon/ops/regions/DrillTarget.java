package dev.pigeon.ops.regions;

import java.util.List;

/**
 * The deployment a drill runs against: two or more regions of nodes, each with its own Cassandra
 * data centre and Redis, and the levers to lose a region and bring it back. Every lever returns
 * once done (nodes started: ready).
 */
interface DrillTarget extends AutoCloseable {

    /** Starts everything and returns once every node is ready; {@link #close} may run meanwhile (Ctrl-C). */
    DrillTarget launch();

    List<String> regions();

    List<NodeEndpoints> nodes(String region);

    String adminToken();

    /** The HS256 secret the nodes check client tokens with. */
    String jwtSecret();

    /** Kills the region's node processes at once (SIGKILL): nothing of them gets to finish. */
    void killNodes(String region);

    /** Starts the region's nodes again and returns once they are ready. */
    void startNodes(String region);

    void stopDatacenter(String region);

    void startDatacenter(String region);

    void stopRedis(String region);

    void startRedis(String region);

    /** Stops everything the deployment started. */
    @Override
    void close();
}
