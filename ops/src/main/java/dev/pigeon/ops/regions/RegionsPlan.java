package dev.pigeon.ops.regions;

import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.config.ValueTypes;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RegionsDeployment} starts: two regions on this machine, each with its own Redis, its own
 * Cassandra data centre and {@code nodesPerRegion} node processes, all on one keyspace.
 *
 * @param regions         the two regions' names; the first gets data centre dc1 and the first Redis
 * @param nodesPerRegion  node processes per region
 * @param dir             where the nodes log ({@code <node>.log}) and started services keep their data ({@code services/})
 * @param basePort        public port of the first node, the others following; 0 picks free ports
 * @param baseAdminPort   admin port of the first node, the others following; 0 picks free ports
 * @param baseLinkPort    region link port of the first node, the others following; 0 picks free ports
 * @param keyspace        the one keyspace of every node
 * @param redisPrefix     the Redis prefix of every node
 * @param jwtSecret       what client tokens are signed with
 * @param adminToken      what the admin ports require
 * @param linkSecret      what the region link requires
 * @param runningServices services already running ({@code ops/bin/services up --regions}, e.g. by ops/bin/test),
 *                        or null to start them in {@code dir/services}
 * @param servicesOptions more options of {@code ops/bin/services up} when the deployment starts the services
 *                        (other addresses and ports)
 * @param nodeOptions     more {@code pigeon node} options for every node, e.g. {@code --presence-heartbeat 1s}
 * @param progress        where the output of the service scripts goes
 */
public record RegionsPlan(List<String> regions, int nodesPerRegion, Path dir, int basePort, int baseAdminPort,
                          int baseLinkPort, String keyspace, String redisPrefix, String jwtSecret, String adminToken,
                          String linkSecret, TwoRegionServices runningServices, List<String> servicesOptions,
                          List<String> nodeOptions, ProcessBuilder.Redirect progress) {

    public static final List<String> DEFAULT_REGIONS = List.of("eu", "us");

    public RegionsPlan {
        regions = List.copyOf(regions);
        if (regions.size() != 2 || new HashSet<>(regions).size() != 2) {
            throw new IllegalArgumentException("name two different regions, not " + regions);
        }
        regions.forEach(ValueTypes.REGION_NAME::parse);
        if (nodesPerRegion < 1) {
            throw new IllegalArgumentException("--nodes-per-region must be at least 1");
        }
        Objects.requireNonNull(dir, "dir");
        int nodes = 2 * nodesPerRegion;
        requirePorts(basePort, nodes, "--base-port");
        requirePorts(baseAdminPort, nodes, "--base-admin-port");
        requirePorts(baseLinkPort, nodes, "--base-link-port");
        requireText(keyspace, "keyspace");
        requireText(redisPrefix, "redisPrefix");
        requireText(jwtSecret, "jwtSecret");
        requireText(adminToken, "adminToken");
        requireText(linkSecret, "linkSecret");
        servicesOptions = List.copyOf(servicesOptions);
        if (runningServices != null && !servicesOptions.isEmpty()) {
            throw new IllegalArgumentException("services options are for services the deployment starts, not running ones");
        }
        nodeOptions = List.copyOf(nodeOptions);
        Objects.requireNonNull(progress, "progress");
    }

    /** A plan with the defaults: regions eu and us, 2 nodes each, free ports, demo credentials, services started in {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Without the secrets. */
    @Override
    public String toString() {
        return "RegionsPlan[regions=" + regions + ", nodesPerRegion=" + nodesPerRegion + ", dir=" + dir
                + ", ports=" + basePort + "/" + baseAdminPort + "/" + baseLinkPort + ", keyspace=" + keyspace
                + ", redisPrefix=" + redisPrefix + ", services=" + (startsServices() ? "started " + servicesOptions
                : runningServices.dir()) + ", nodeOptions=" + nodeOptions + "]";
    }

    /** Whether the deployment starts (and stops) the services itself. */
    public boolean startsServices() {
        return runningServices == null;
    }

    private static void requirePorts(int base, int count, String name) {
        if (base != 0 && (base < 1 || base + count - 1 > 65_535)) {
            throw new IllegalArgumentException(name + " " + base + ": the ports of " + count + " nodes do not fit below 65536");
        }
    }

    private static void requireText(String text, String name) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    public static final class Builder {
        private List<String> regions = DEFAULT_REGIONS;
        private int nodesPerRegion = 2;
        private final Path dir;
        private int basePort;
        private int baseAdminPort;
        private int baseLinkPort;
        private String keyspace = PigeonConfig.KEYSPACE.defaultValue();
        private String redisPrefix = PigeonConfig.REDIS_PREFIX.defaultValue();
        private String jwtSecret = PigeonConfig.DEMO_JWT_SECRET;
        private String adminToken = PigeonConfig.DEMO_ADMIN_TOKEN;
        private String linkSecret = randomSecret();
        private TwoRegionServices runningServices;
        private List<String> servicesOptions = List.of();
        private List<String> nodeOptions = List.of();
        private ProcessBuilder.Redirect progress;

        private Builder(Path dir) {
            this.dir = dir.toAbsolutePath().normalize();
            this.progress = ProcessBuilder.Redirect.appendTo(this.dir.resolve("services.log").toFile());
        }

        public Builder regions(List<String> regions) {
            this.regions = regions;
            return this;
        }

        public Builder nodesPerRegion(int nodesPerRegion) {
            this.nodesPerRegion = nodesPerRegion;
            return this;
        }

        /** Public, admin and link ports of the first node, the others following; 0 picks free ports. */
        public Builder basePorts(int basePort, int baseAdminPort, int baseLinkPort) {
            this.basePort = basePort;
            this.baseAdminPort = baseAdminPort;
            this.baseLinkPort = baseLinkPort;
            return this;
        }

        public Builder keyspace(String keyspace) {
            this.keyspace = keyspace;
            return this;
        }

        public Builder redisPrefix(String redisPrefix) {
            this.redisPrefix = redisPrefix;
            return this;
        }

        public Builder jwtSecret(String jwtSecret) {
            this.jwtSecret = jwtSecret;
            return this;
        }

        public Builder adminToken(String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        public Builder linkSecret(String linkSecret) {
            this.linkSecret = linkSecret;
            return this;
        }

        /** Uses services already running instead of starting them. */
        public Builder runningServices(TwoRegionServices runningServices) {
            this.runningServices = runningServices;
            return this;
        }

        /** More {@code ops/bin/services up} options, e.g. {@code --redis-port 6392 --cassandra-listen 127.0.0.3}. */
        public Builder servicesOptions(String... options) {
            this.servicesOptions = List.of(options);
            return this;
        }

        /** More {@code pigeon node} options for every node. */
        public Builder nodeOptions(String... options) {
            this.nodeOptions = List.of(options);
            return this;
        }

        /** Where the output of the service scripts goes (by default appended to {@code dir/services.log}). */
        public Builder progress(ProcessBuilder.Redirect progress) {
            this.progress = progress;
            return this;
        }

        public RegionsPlan build() {
            return new RegionsPlan(regions, nodesPerRegion, dir, basePort, baseAdminPort, baseLinkPort, keyspace,
                    redisPrefix, jwtSecret, adminToken, linkSecret, runningServices, servicesOptions, nodeOptions,
                    progress);
        }

        /** A fresh link secret for every deployment: only its own nodes need to know it. */
        private static String randomSecret() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
