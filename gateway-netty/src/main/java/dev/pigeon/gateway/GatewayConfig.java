package dev.pigeon.gateway;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Everything an edge node is configured with. Immutable; build one with {@link #builder()}, whose
 * defaults give a working single node on ports 8080 and 9090.
 *
 * <p>The limits on message bodies and on sends per second are not here: they belong to the frame
 * validator and the router, which the server is given.
 *
 * @param nodeId               this node's name in presence and in {@code hello}; default {@code node-1}
 * @param region               the region this node serves, named in {@code hello} and presence; default {@code local}
 * @param bindHost             the address both ports listen on; default {@code 0.0.0.0}
 * @param port                 the public port (transports and HTTP API); 0 picks a free port; default 8080
 * @param adminPort            the admin port (admin API and {@code /metrics}); 0 picks a free port; default 9090
 * @param jwtSecret            the HS256 secret client tokens are signed with; default a random secret
 *                             made at build time, so only tokens this process mints are valid
 * @param adminToken           the bearer token the admin port requires; default a random token made at build time
 * @param devTokens            serves {@code POST /v1/dev/token} and the dev-only web assets (the demo page); for the
 *                             embedded demo only; default false
 * @param devTokenLifetime     how long a token minted by {@code /v1/dev/token} is valid; default 24 h
 * @param maxFrameBytes        the largest WebSocket message read; a larger one closes the socket with 1009;
 *                             default 1 MiB
 * @param maxHttpBodyBytes     the largest HTTP request body read; a larger one gets 413 {@code too_large};
 *                             default 1 MiB
 * @param sessionsPerUser      the most live sessions one user may hold on this node; one more is refused
 *                             with {@code rate_limited}; default 16
 * @param wsPingInterval       how often the server pings a WebSocket; default 25 s
 * @param wsIdleTimeout        a WebSocket with no inbound frame (pongs included) for this long is closed;
 *                             default 75 s
 * @param httpRequestTimeout   a connection that does not complete a request within this long (from connect,
 *                             or from its previous response) is closed; default 10 s
 * @param sseKeepalive         how often an SSE stream gets a {@code : ka} comment; default 15 s
 * @param sseMaxLifetime       an SSE stream ends cleanly after this long and the client reconnects; default 90 s
 * @param sseRetry             the reconnection delay announced by {@code retry:} on every SSE stream; default 2 s
 * @param pollDefaultWait      how long a long-poll without {@code wait} waits; default 25 s
 * @param pollMaxWait          the longest a long-poll waits (a larger {@code wait} is cut to it); default 30 s
 * @param outboundQueueLimit   how many frames a session may have pending while its channel is not writable;
 *                             beyond that it is closed as a slow consumer (WebSocket close 1008
 *                             {@code slow consumer}, SSE and poll end) and resumes from its {@code seq};
 *                             default 1024
 * @param writeBufferLowWater  the channel write buffer low water mark; default 32 KiB
 * @param writeBufferHighWater the channel write buffer high water mark, above which a channel is not
 *                             writable; default 64 KiB
 * @param corsOrigins          the origins browsers may call the public port from; {@code *} for any;
 *                             default {@code ["*"]}
 * @param shutdownGrace        how long {@link GatewayServer#stop()} lets in-flight requests finish; default 10 s
 */
public record GatewayConfig(
        String nodeId,
        String region,
        String bindHost,
        int port,
        int adminPort,
        String jwtSecret,
        String adminToken,
        boolean devTokens,
        Duration devTokenLifetime,
        int maxFrameBytes,
        int maxHttpBodyBytes,
        int sessionsPerUser,
        Duration wsPingInterval,
        Duration wsIdleTimeout,
        Duration httpRequestTimeout,
        Duration sseKeepalive,
        Duration sseMaxLifetime,
        Duration sseRetry,
        Duration pollDefaultWait,
        Duration pollMaxWait,
        int outboundQueueLimit,
        int writeBufferLowWater,
        int writeBufferHighWater,
        List<String> corsOrigins,
        Duration shutdownGrace) {

    public GatewayConfig {
        requireText(nodeId, "nodeId");
        requireText(region, "region");
        requireText(bindHost, "bindHost");
        requirePort(port, "port");
        requirePort(adminPort, "adminPort");
        requireText(jwtSecret, "jwtSecret");
        requireText(adminToken, "adminToken");
        requirePositive(devTokenLifetime, "devTokenLifetime");
        requirePositive(maxFrameBytes, "maxFrameBytes");
        requirePositive(maxHttpBodyBytes, "maxHttpBodyBytes");
        requirePositive(sessionsPerUser, "sessionsPerUser");
        requirePositive(wsPingInterval, "wsPingInterval");
        requirePositive(wsIdleTimeout, "wsIdleTimeout");
        requirePositive(httpRequestTimeout, "httpRequestTimeout");
        requirePositive(sseKeepalive, "sseKeepalive");
        requirePositive(sseMaxLifetime, "sseMaxLifetime");
        requirePositive(sseRetry, "sseRetry");
        requirePositive(pollDefaultWait, "pollDefaultWait");
        requirePositive(pollMaxWait, "pollMaxWait");
        requirePositive(outboundQueueLimit, "outboundQueueLimit");
        requirePositive(writeBufferLowWater, "writeBufferLowWater");
        requirePositive(shutdownGrace, "shutdownGrace");
        if (writeBufferHighWater < writeBufferLowWater) {
            throw new IllegalArgumentException("writeBufferHighWater must not be below writeBufferLowWater");
        }
        if (pollDefaultWait.compareTo(pollMaxWait) > 0) {
            throw new IllegalArgumentException("pollDefaultWait must not exceed pollMaxWait");
        }
        if (wsIdleTimeout.compareTo(wsPingInterval) <= 0) {
            throw new IllegalArgumentException("wsIdleTimeout must exceed wsPingInterval");
        }
        corsOrigins = List.copyOf(corsOrigins);
        if (corsOrigins.isEmpty()) {
            throw new IllegalArgumentException("corsOrigins must name at least one origin (or *)");
        }
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when browsers from any origin may call the public port. */
    public boolean anyCorsOrigin() {
        return corsOrigins.contains("*");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requirePort(int port, String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be a port number (0 for any free port)");
        }
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Builds a {@link GatewayConfig}; every setter is optional. */
    public static final class Builder {
        private String nodeId = "node-1";
        private String region = "local";
        private String bindHost = "0.0.0.0";
        private int port = 8080;
        private int adminPort = 9090;
        private String jwtSecret;
        private String adminToken;
        private boolean devTokens;
        private Duration devTokenLifetime = Duration.ofHours(24);
        private int maxFrameBytes = 1 << 20;
        private int maxHttpBodyBytes = 1 << 20;
        private int sessionsPerUser = 16;
        private Duration wsPingInterval = Duration.ofSeconds(25);
        private Duration wsIdleTimeout = Duration.ofSeconds(75);
        private Duration httpRequestTimeout = Duration.ofSeconds(10);
        private Duration sseKeepalive = Duration.ofSeconds(15);
        private Duration sseMaxLifetime = Duration.ofSeconds(90);
        private Duration sseRetry = Duration.ofMillis(2000);
        private Duration pollDefaultWait = Duration.ofSeconds(25);
        private Duration pollMaxWait = Duration.ofSeconds(30);
        private int outboundQueueLimit = 1024;
        private int writeBufferLowWater = 32 * 1024;
        private int writeBufferHighWater = 64 * 1024;
        private List<String> corsOrigins = List.of("*");
        private Duration shutdownGrace = Duration.ofSeconds(10);

        private Builder() {
        }

        private Builder(GatewayConfig c) {
            nodeId = c.nodeId;
            region = c.region;
            bindHost = c.bindHost;
            port = c.port;
            adminPort = c.adminPort;
            jwtSecret = c.jwtSecret;
            adminToken = c.adminToken;
            devTokens = c.devTokens;
            devTokenLifetime = c.devTokenLifetime;
            maxFrameBytes = c.maxFrameBytes;
            maxHttpBodyBytes = c.maxHttpBodyBytes;
            sessionsPerUser = c.sessionsPerUser;
            wsPingInterval = c.wsPingInterval;
            wsIdleTimeout = c.wsIdleTimeout;
            httpRequestTimeout = c.httpRequestTimeout;
            sseKeepalive = c.sseKeepalive;
            sseMaxLifetime = c.sseMaxLifetime;
            sseRetry = c.sseRetry;
            pollDefaultWait = c.pollDefaultWait;
            pollMaxWait = c.pollMaxWait;
            outboundQueueLimit = c.outboundQueueLimit;
            writeBufferLowWater = c.writeBufferLowWater;
            writeBufferHighWater = c.writeBufferHighWater;
            corsOrigins = c.corsOrigins;
            shutdownGrace = c.shutdownGrace;
        }

        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder bindHost(String v) { bindHost = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder adminPort(int v) { adminPort = v; return this; }
        public Builder jwtSecret(String v) { jwtSecret = v; return this; }
        public Builder adminToken(String v) { adminToken = v; return this; }
        public Builder devTokens(boolean v) { devTokens = v; return this; }
        public Builder devTokenLifetime(Duration v) { devTokenLifetime = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder maxHttpBodyBytes(int v) { maxHttpBodyBytes = v; return this; }
        public Builder sessionsPerUser(int v) { sessionsPerUser = v; return this; }
        public Builder wsPingInterval(Duration v) { wsPingInterval = v; return this; }
        public Builder wsIdleTimeout(Duration v) { wsIdleTimeout = v; return this; }
        public Builder httpRequestTimeout(Duration v) { httpRequestTimeout = v; return this; }
        public Builder sseKeepalive(Duration v) { sseKeepalive = v; return this; }
        public Builder sseMaxLifetime(Duration v) { sseMaxLifetime = v; return this; }
        public Builder sseRetry(Duration v) { sseRetry = v; return this; }
        public Builder pollDefaultWait(Duration v) { pollDefaultWait = v; return this; }
        public Builder pollMaxWait(Duration v) { pollMaxWait = v; return this; }
        public Builder outboundQueueLimit(int v) { outboundQueueLimit = v; return this; }
        public Builder writeBufferLowWater(int v) { writeBufferLowWater = v; return this; }
        public Builder writeBufferHighWater(int v) { writeBufferHighWater = v; return this; }
        public Builder corsOrigins(List<String> v) { corsOrigins = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }

        public GatewayConfig build() {
            return new GatewayConfig(nodeId, region, bindHost, port, adminPort,
                    jwtSecret != null ? jwtSecret : randomSecret(), adminToken != null ? adminToken : randomSecret(),
                    devTokens, devTokenLifetime, maxFrameBytes, maxHttpBodyBytes, sessionsPerUser, wsPingInterval,
                    wsIdleTimeout, httpRequestTimeout, sseKeepalive, sseMaxLifetime, sseRetry, pollDefaultWait,
                    pollMaxWait, outboundQueueLimit, writeBufferLowWater, writeBufferHighWater, corsOrigins,
                    shutdownGrace);
        }

        private static String randomSecret() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }
}
