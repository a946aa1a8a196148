package dev.pigeon.ops.config;

import dev.pigeon.gateway.GatewayConfig;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.RouterLimits;
import dev.pigeon.router.redis.RedisPresence;
import dev.pigeon.storage.cassandra.CassandraStoreOptions;
import dev.pigeon.storage.cassandra.Replication;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.pigeon.ops.config.ValueTypes.BOOLEAN;
import static dev.pigeon.ops.config.ValueTypes.DATACENTER_COPIES;
import static dev.pigeon.ops.config.ValueTypes.HOST_PORT;
import static dev.pigeon.ops.config.ValueTypes.LIST;
import static dev.pigeon.ops.config.ValueTypes.NON_EMPTY_TEXT;
import static dev.pigeon.ops.config.ValueTypes.PATH;
import static dev.pigeon.ops.config.ValueTypes.PORT;
import static dev.pigeon.ops.config.ValueTypes.POSITIVE_DURATION;
import static dev.pigeon.ops.config.ValueTypes.POSITIVE_INT;
import static dev.pigeon.ops.config.ValueTypes.REDIS_URL;
import static dev.pigeon.ops.config.ValueTypes.REGION_NAME;
import static dev.pigeon.ops.config.ValueTypes.REGION_URLS;
import static dev.pigeon.ops.config.ValueTypes.SIZE;

/**
 * Every configuration key of a Pigeon node, declared once: name, kind, default and meaning. The
 * command line, the environment, the config file, {@code --help} and docs/configuration.md all come
 * from these declarations. Defaults are those of the component a key configures, except where a
 * declaration says otherwise.
 */
public final class PigeonConfig {

    /** Signs demo tokens. Well known on purpose: the demo prints it, and it must never guard real data. */
    public static final String DEMO_JWT_SECRET = "pigeon-demo-jwt-secret-do-not-use-in-production";
    public static final String DEMO_ADMIN_TOKEN = "pigeon-demo-admin-token";

    private static final GatewayConfig GATEWAY = GatewayConfig.builder().build();
    private static final FrameValidator.Limits FRAMES = FrameValidator.Limits.DEFAULTS;
    private static final RouterLimits ROUTER = RouterLimits.defaults();
    private static final EmbeddedStoreOptions STORE = EmbeddedStoreOptions.defaults();
    private static final CassandraStoreOptions CASSANDRA_STORE = CassandraStoreOptions.builder().build();

    public static final Setting<Path> CONFIG = Setting.of("config", PATH, null,
            "A Java properties file of settings (keys as listed here). Command-line options and "
                    + "environment variables override it.");

    // ---- node ----
    public static final Setting<Path> DATA_DIR = Setting.of("data-dir", PATH, Path.of("data"),
            "Directory of the embedded store, relative to the working directory unless absolute; created if missing.");
    public static final Setting<String> NODE_ID = Setting.of("node-id", NON_EMPTY_TEXT, GATEWAY.nodeId(),
            "This node's name, as hello frames and presence show it.");
    public static final Setting<String> REGION = Setting.of("region", REGION_NAME, GATEWAY.region(),
            "The region this node serves: letters, digits, '_' and '-'.");

    // ---- network and credentials ----
    // Loopback unless asked: the demo runs with well-known credentials.
    public static final Setting<String> BIND_HOST = Setting.of("bind-host", NON_EMPTY_TEXT, "127.0.0.1",
            "Address the public and admin ports listen on; 0.0.0.0 for every interface.");
    public static final Setting<Integer> PUBLIC_PORT = Setting.of("port", PORT, GATEWAY.port(),
            "Public port: WebSocket, SSE, long-poll, HTTP API and the demo page. 0 picks a free port.");
    public static final Setting<Integer> ADMIN_PORT = Setting.of("admin-port", PORT, GATEWAY.adminPort(),
            "Admin port: admin API and /metrics. 0 picks a free port.");
    public static final Setting<String> JWT_SECRET = Setting.secret("jwt-secret", NON_EMPTY_TEXT, DEMO_JWT_SECRET,
            "HS256 secret that client tokens are signed with. The default is a published demo secret.");
    public static final Setting<String> ADMIN_TOKEN = Setting.secret("admin-token", NON_EMPTY_TEXT, DEMO_ADMIN_TOKEN,
            "Bearer token the admin port requires. The default is a published demo token.");
    public static final Setting<Duration> DEV_TOKEN_LIFETIME = Setting.of("dev-token-lifetime",
            POSITIVE_DURATION, GATEWAY.devTokenLifetime(), "How long a token from POST /v1/dev/token is valid.");
    public static final Setting<List<String>> CORS_ORIGINS = Setting.of("cors-origins", LIST, GATEWAY.corsOrigins(),
            "Origins browsers may call the public port from, comma separated; * for any.");

    // ---- limits ----
    public static final Setting<Integer> MAX_BODY_BYTES = Setting.of("max-body-bytes", SIZE, FRAMES.maxBodyBytes(),
            "Largest message body, in bytes of UTF-8; a larger send gets too_large.");
    public static final Setting<Integer> MAX_FRAME_BYTES = Setting.of("max-frame-bytes", SIZE, GATEWAY.maxFrameBytes(),
            "Largest WebSocket message read; a larger one closes the socket (1009).");
    public static final Setting<Integer> MAX_HTTP_BODY_BYTES = Setting.of("max-http-body-bytes", SIZE,
            GATEWAY.maxHttpBodyBytes(), "Largest HTTP request body read; a larger one gets 413 too_large.");
    public static final Setting<Integer> SESSIONS_PER_USER = Setting.of("sessions-per-user", POSITIVE_INT,
            GATEWAY.sessionsPerUser(), "Most live sessions one user may hold on this node.");
    public static final Setting<Integer> SENDS_PER_SECOND = Setting.of("sends-per-second", POSITIVE_INT,
            ROUTER.sendsPerSecond(), "Sends one user may make per second (a burst of that many at once).");
    public static final Setting<Integer> MAX_GROUP_MEMBERS = Setting.of("max-group-members", POSITIVE_INT,
            ROUTER.maxGroupMembers(), "Most members a group may have.");
    public static final Setting<Integer> MAX_PAGE_SIZE = Setting.of("max-page-size", POSITIVE_INT,
            ROUTER.maxPageSize(), "Most entries one sync or history answer holds (the largest 'limit' accepted).");

    // ---- transports ----
    public static final Setting<Duration> WS_PING_INTERVAL = Setting.of("ws-ping-interval",
            POSITIVE_DURATION, GATEWAY.wsPingInterval(), "How often the server pings a WebSocket.");
    public static final Setting<Duration> WS_IDLE_TIMEOUT = Setting.of("ws-idle-timeout",
            POSITIVE_DURATION, GATEWAY.wsIdleTimeout(),
            "A WebSocket silent this long (pongs included) is closed; must exceed ws-ping-interval.");
    public static final Setting<Duration> HTTP_REQUEST_TIMEOUT = Setting.of("http-request-timeout",
            POSITIVE_DURATION, GATEWAY.httpRequestTimeout(),
            "A connection that does not complete a request within this long is closed.");
    public static final Setting<Duration> SSE_KEEPALIVE = Setting.of("sse-keepalive",
            POSITIVE_DURATION, GATEWAY.sseKeepalive(), "How often an SSE stream gets a ': ka' comment.");
    public static final Setting<Duration> SSE_MAX_LIFETIME = Setting.of("sse-max-lifetime",
            POSITIVE_DURATION, GATEWAY.sseMaxLifetime(),
            "An SSE stream ends cleanly after this long; the client reconnects with Last-Event-ID.");
    public static final Setting<Duration> SSE_RETRY = Setting.of("sse-retry",
            POSITIVE_DURATION, GATEWAY.sseRetry(), "Reconnection delay announced by 'retry:' on SSE streams.");
    public static final Setting<Duration> POLL_DEFAULT_WAIT = Setting.of("poll-default-wait",
            POSITIVE_DURATION, GATEWAY.pollDefaultWait(), "How long a long-poll without 'wait' waits.");
    public static final Setting<Duration> POLL_MAX_WAIT = Setting.of("poll-max-wait",
            POSITIVE_DURATION, GATEWAY.pollMaxWait(), "Longest a long-poll waits; a larger 'wait' is cut to it.");

    // ---- flow control and shutdown ----
    public static final Setting<Integer> OUTBOUND_QUEUE_LIMIT = Setting.of("outbound-queue-limit", POSITIVE_INT,
            GATEWAY.outboundQueueLimit(),
            "Frames a session may have pending on an unwritable channel before it is closed as a slow consumer.");
    public static final Setting<Integer> WRITE_BUFFER_LOW_WATER = Setting.of("write-buffer-low-water", SIZE,
            GATEWAY.writeBufferLowWater(), "Channel write buffer low water mark.");
    public static final Setting<Integer> WRITE_BUFFER_HIGH_WATER = Setting.of("write-buffer-high-water", SIZE,
            GATEWAY.writeBufferHighWater(), "Channel write buffer high water mark; above it a channel is not writable.");
    public static final Setting<Duration> SHUTDOWN_GRACE = Setting.of("shutdown-grace",
            POSITIVE_DURATION, GATEWAY.shutdownGrace(), "How long a stopping node lets in-flight requests finish.");

    // ---- storage ----
    public static final Setting<Duration> STORAGE_TIMEOUT = Setting.of("storage-timeout",
            POSITIVE_DURATION, ROUTER.storageTimeout(),
            "How long a storage call may take before the request fails 'unavailable'.");
    public static final Setting<Duration> GROUP_CACHE_TTL = Setting.of("group-cache-ttl", POSITIVE_DURATION,
            DefaultRouter.DEFAULT_GROUP_CACHE_TTL,
            "How long a node trusts the members of a group it read without reading them again. A change of members "
                    + "drops the copy on every node at once through the node bus; this bounds how long a change whose "
                    + "announcement was lost goes unseen.");
    public static final Setting<Boolean> STORE_SYNC_WRITES = Setting.of("store-sync-writes", BOOLEAN,
            STORE.syncWrites(),
            "Fsync the embedded store's log before acknowledging a write; false survives a process crash, not a machine crash.");
    public static final Setting<Integer> STORE_THREADS = Setting.of("store-threads", POSITIVE_INT,
            STORE.executorThreads(), "Threads running embedded store operations.");
    public static final Setting<Integer> STORE_MAX_QUEUED = Setting.of("store-max-queued", POSITIVE_INT,
            STORE.maxQueuedOperations(),
            "Embedded store operations that may wait for a thread before calls fail 'unavailable'.");

    // ---- cluster (pigeon node) ----
    public static final Setting<String> REDIS = Setting.of("redis", REDIS_URL, "redis://127.0.0.1:6390",
            "Cluster node: the Redis holding presence and carrying deliveries between nodes.");
    public static final Setting<String> REDIS_PREFIX = Setting.of("redis-prefix", NON_EMPTY_TEXT, "pigeon",
            "Cluster node: separates deployments sharing one Redis; every node of one deployment uses the same.");
    public static final Setting<Duration> PRESENCE_HEARTBEAT = Setting.of("presence-heartbeat", POSITIVE_DURATION,
            RedisPresence.DEFAULT_HEARTBEAT,
            "Cluster node: how often this node renews its liveness in Redis. The liveness key lives 1.5 beats and "
                    + "other nodes trust a node found alive for half a beat, so the sessions of a node that dies leave "
                    + "presence within two beats. The default drops a dead node within 4 s yet lets a live one beat "
                    + "up to 1 s late (a GC pause, a slow Redis) before it is taken for dead and its sessions miss "
                    + "live deliveries until its next beat; 1s would halve that margin. Use one value on every node "
                    + "of a deployment.");
    public static final Setting<String> CASSANDRA = Setting.of("cassandra", HOST_PORT, "127.0.0.1:9042",
            "Cluster node: the Cassandra node to reach first (the driver finds the others).");
    public static final Setting<String> CASSANDRA_DATACENTER = Setting.of("cassandra-datacenter", NON_EMPTY_TEXT,
            CASSANDRA_STORE.localDatacenter(), "Cluster node: the Cassandra data centre of this region.");
    public static final Setting<String> KEYSPACE = Setting.of("keyspace", NON_EMPTY_TEXT, CASSANDRA_STORE.keyspace(),
            "Cluster node: the Cassandra keyspace of every table; created with its schema when missing.");

    public static final Setting<Map<String, Integer>> REPLICATION = Setting.of("replication", DATACENTER_COPIES, null,
            "Cluster node: copies of every row in each Cassandra data centre (NetworkTopologyStrategy), for a keyspace "
                    + "this node creates, e.g. dc1:3,dc2:3; every region's data centre needs copies. Unset: "
                    + "SimpleStrategy with one copy, for a single data centre. An existing keyspace is left as it is.");

    // ---- regions (pigeon node) ----
    public static final Setting<Integer> LINK_PORT = Setting.of("link-port", PORT, 0,
            "Cluster node: port of the region link, where the nodes of other regions call this one (HTTP, every "
                    + "request authenticated with link-secret). 0 runs no link: a node of the only region.");
    public static final Setting<String> LINK_SECRET = Setting.secret("link-secret", NON_EMPTY_TEXT, null,
            "Cluster node: bearer secret of the region link, the same on every node of every region. Required with "
                    + "link-port or region-peers.");
    public static final Setting<Map<String, List<URI>>> REGION_PEERS = Setting.of("region-peers", REGION_URLS, null,
            "Cluster node: the link URLs of the other regions' nodes, as region=url entries, a region repeated for each "
                    + "of its nodes (tried in turn), e.g. us=http://10.2.0.5:7171,us=http://10.2.0.6:7171. Not this "
                    + "node's own region. Unset: the only region. Needs link-port, link-secret, region-datacenters "
                    + "and replication.");
    public static final Setting<Map<String, String>> REGION_DATACENTERS = Setting.of("region-datacenters",
            ValueTypes.REGION_DATACENTERS, null,
            "Cluster node: the Cassandra data centre of every region, this one included (as cassandra-datacenter), "
                    + "as region=datacenter entries, e.g. eu=dc1,us=dc2. Required with region-peers.");

    /** Keys only a cluster node reads. */
    public static final List<Setting<?>> CLUSTER_ONLY = List.of(REDIS, REDIS_PREFIX, PRESENCE_HEARTBEAT, CASSANDRA,
            CASSANDRA_DATACENTER, KEYSPACE, REPLICATION, LINK_PORT, LINK_SECRET, REGION_PEERS, REGION_DATACENTERS);
    /** Keys only the embedded store reads. */
    public static final List<Setting<?>> EMBEDDED_ONLY = List.of(DATA_DIR, STORE_SYNC_WRITES, STORE_THREADS,
            STORE_MAX_QUEUED);

    /** Every key, in the order help and docs list them. */
    public static final List<Setting<?>> ALL = List.of(
            CONFIG, DATA_DIR, NODE_ID, REGION,
            BIND_HOST, PUBLIC_PORT, ADMIN_PORT, JWT_SECRET, ADMIN_TOKEN, DEV_TOKEN_LIFETIME, CORS_ORIGINS,
            MAX_BODY_BYTES, MAX_FRAME_BYTES, MAX_HTTP_BODY_BYTES, SESSIONS_PER_USER, SENDS_PER_SECOND, MAX_GROUP_MEMBERS,
            MAX_PAGE_SIZE,
            WS_PING_INTERVAL, WS_IDLE_TIMEOUT, HTTP_REQUEST_TIMEOUT, SSE_KEEPALIVE, SSE_MAX_LIFETIME, SSE_RETRY,
            POLL_DEFAULT_WAIT, POLL_MAX_WAIT,
            OUTBOUND_QUEUE_LIMIT, WRITE_BUFFER_LOW_WATER, WRITE_BUFFER_HIGH_WATER, SHUTDOWN_GRACE,
            STORAGE_TIMEOUT, GROUP_CACHE_TTL, STORE_SYNC_WRITES, STORE_THREADS, STORE_MAX_QUEUED,
            REDIS, REDIS_PREFIX, PRESENCE_HEARTBEAT, CASSANDRA, CASSANDRA_DATACENTER, KEYSPACE, REPLICATION,
            LINK_PORT, LINK_SECRET, REGION_PEERS, REGION_DATACENTERS);

    private static final Pattern FIELD_NAME = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z0-9]*)+\\b");
    private static final ConfigResolver RESOLVER = new ConfigResolver(ALL, CONFIG);

    private final ResolvedConfig values;

    private PigeonConfig(ResolvedConfig values) {
        this.values = values;
    }

    /**
     * Resolves every key: command line, then environment, then the config file, then the default.
     *
     * @param commandLine options given on the command line, by key, as text
     * @param environment the process environment
     * @throws ConfigException naming every unknown key and bad value
     */
    public static PigeonConfig resolve(Map<String, String> commandLine, Map<String, String> environment) {
        PigeonConfig config = new PigeonConfig(RESOLVER.resolve(commandLine, environment));
        config.validateTogether();
        return config;
    }

    /** The defaults alone, as a node started without any configuration would run. */
    public static PigeonConfig defaults() {
        return resolve(Map.of(), Map.of());
    }

    public <T> T get(Setting<T> setting) {
        return values.get(setting);
    }

    public ConfigSource source(Setting<?> setting) {
        return values.source(setting);
    }

    public Path dataDir() {
        return get(DATA_DIR);
    }

    public GatewayConfig gateway() {
        return GatewayConfig.builder()
                .nodeId(get(NODE_ID))
                .region(get(REGION))
                .bindHost(get(BIND_HOST))
                .port(get(PUBLIC_PORT))
                .adminPort(get(ADMIN_PORT))
                .jwtSecret(get(JWT_SECRET))
                .adminToken(get(ADMIN_TOKEN))
                .devTokenLifetime(get(DEV_TOKEN_LIFETIME))
                .corsOrigins(get(CORS_ORIGINS))
                .maxFrameBytes(get(MAX_FRAME_BYTES))
                .maxHttpBodyBytes(get(MAX_HTTP_BODY_BYTES))
                .sessionsPerUser(get(SESSIONS_PER_USER))
                .wsPingInterval(get(WS_PING_INTERVAL))
                .wsIdleTimeout(get(WS_IDLE_TIMEOUT))
                .httpRequestTimeout(get(HTTP_REQUEST_TIMEOUT))
                .sseKeepalive(get(SSE_KEEPALIVE))
                .sseMaxLifetime(get(SSE_MAX_LIFETIME))
                .sseRetry(get(SSE_RETRY))
                .pollDefaultWait(get(POLL_DEFAULT_WAIT))
                .pollMaxWait(get(POLL_MAX_WAIT))
                .outboundQueueLimit(get(OUTBOUND_QUEUE_LIMIT))
                .writeBufferLowWater(get(WRITE_BUFFER_LOW_WATER))
                .writeBufferHighWater(get(WRITE_BUFFER_HIGH_WATER))
                .shutdownGrace(get(SHUTDOWN_GRACE))
                .build();
    }

    public RouterLimits routerLimits() {
        return new RouterLimits(get(SENDS_PER_SECOND), get(MAX_GROUP_MEMBERS), get(MAX_PAGE_SIZE),
                get(STORAGE_TIMEOUT));
    }

    public FrameValidator.Limits frameLimits() {
        return new FrameValidator.Limits(get(MAX_BODY_BYTES), get(MAX_PAGE_SIZE),
                Math.min(FRAMES.defaultPageLimit(), get(MAX_PAGE_SIZE)));
    }

    public EmbeddedStoreOptions storeOptions() {
        return EmbeddedStoreOptions.builder()
                .syncWrites(get(STORE_SYNC_WRITES))
                .executorThreads(get(STORE_THREADS))
                .maxQueuedOperations(get(STORE_MAX_QUEUED))
                .build();
    }

    /** The settings a {@code pigeon demo} reads: all but the cluster's. */
    public static List<Setting<?>> embeddedSettings() {
        return ALL.stream().filter(s -> !CLUSTER_ONLY.contains(s)).toList();
    }

    /** The settings a {@code pigeon node} reads: all but the embedded store's. */
    public static List<Setting<?>> clusterSettings() {
        return ALL.stream().filter(s -> !EMBEDDED_ONLY.contains(s)).toList();
    }

    public CassandraStoreOptions cassandraOptions() {
        CassandraStoreOptions.Builder options = CassandraStoreOptions.builder()
                .contactPoints(List.of(CassandraStoreOptions.contactPoint(get(CASSANDRA))))
                .localDatacenter(get(CASSANDRA_DATACENTER))
                .keyspace(get(KEYSPACE))
                .requestTimeout(get(STORAGE_TIMEOUT));
        Map<String, Integer> copies = get(REPLICATION);
        if (copies != null) {
            options.replication(Replication.networkTopology(copies));
        }
        return options.build();
    }

    /** The region link's port; 0 when this node runs no link. */
    public int linkPort() {
        return get(LINK_PORT);
    }

    /** The region link's secret; null when this node runs no link (no link-port, no region-peers). */
    public String linkSecret() {
        return get(LINK_SECRET);
    }

    /** The other regions' nodes' link URLs by region, each in the order to try them; empty for the only region. */
    public Map<String, List<URI>> regionPeers() {
        Map<String, List<URI>> peers = get(REGION_PEERS);
        return peers == null ? Map.of() : peers;
    }

    /** The Cassandra data centre of every region, this one's included; empty for the only region. */
    public Map<String, String> regionDatacenters() {
        Map<String, String> datacenters = get(REGION_DATACENTERS);
        return datacenters == null ? Map.of() : datacenters;
    }

    /** Rewrites component field names (pollMaxWait) as the keys that set them (poll-max-wait). */
    private static String inKeyNames(String message) {
        return FIELD_NAME.matcher(message).replaceAll(match -> {
            String key = match.group().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            return ALL.stream().anyMatch(s -> s.key().equals(key)) ? key : match.group();
        });
    }

    /**
     * Rules that tie keys together (poll-default-wait within poll-max-wait...) are the components' own;
     * those of the region keys are {@link RegionRules}.
     */
    private void validateTogether() {
        try {
            gateway();
            routerLimits();
            frameLimits();
            storeOptions();
            cassandraOptions();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("inconsistent settings: " + inKeyNames(e.getMessage()));
        }
        List<String> problems = RegionRules.problems(this);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().map(p -> "inconsistent settings: " + p)
                    .collect(Collectors.joining("\n")));
        }
    }
}
