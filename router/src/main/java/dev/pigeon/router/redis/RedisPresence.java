package dev.pigeon.router.redis;

import dev.pigeon.router.Presence;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RMapAsync;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Presence in Redis, shared by every node of a region; one instance per node, built with
 * {@link #builder(RedissonClient)}.
 *
 * <p>Each user is one hash, {@code pigeon:<prefix>:presence:<user>}: session id to the session and
 * the time its node last wrote it. An entry counts while it is younger than the session TTL
 * (default 60 s; nodes refresh every 25 s) and its node's liveness key exists; the hash itself
 * expires a session TTL after its last write. The node beats on its liveness key every heartbeat
 * interval (default 2 s; the key lives 1.5 intervals, see {@link Liveness}), so the sessions of a
 * node that dies drop out of every lookup within two intervals of its last beat. Lookups delete the
 * entries they found stale.
 *
 * <p>Every method is asynchronous and one round trip in the common case: {@link #sessions} reads
 * the hashes of all users in one pipelined batch. Stages complete on Redisson threads; a Redis
 * failure fails them with {@link dev.pigeon.storage.StorageUnavailableException}.
 *
 * <p>Lookups are not cached. A cached "offline" would hide a session that connected a moment ago
 * from sends until the entry expired, and an invalidation published over pub/sub can arrive after
 * the next send's lookup or not at all, so such a session would miss live messages until a later
 * one revealed the gap. Only node liveness is cached, and only "alive" (see {@link LiveNodes}).
 */
public final class RedisPresence implements Presence, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(60);
    /**
     * A dead node leaves presence within 4 s, while a live one may beat up to 1 s late (a long GC
     * pause, a slow Redis reply, a reconnect) before it is taken for dead and its sessions miss
     * deliveries until its next beat writes them back; 1 s would halve that margin for little gain.
     */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    public static final String DEFAULT_PREFIX = "default";
    /** Deletes fields whose value is still what the lookup read: ARGV holds field, value pairs. */
    private static final String DELETE_UNCHANGED = """
            local removed = 0
            for i = 1, #ARGV, 2 do
              if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
                removed = removed + redis.call('HDEL', KEYS[1], ARGV[i])
              end
            end
            return removed
            """;

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final String nodeId;
    private final Duration sessionTtl;
    private final Liveness liveness;
    private final Clock clock;
    private final OwnSessions own = new OwnSessions();
    private final LiveNodes liveNodes;
    private final ClusterStats stats;
    private final NodeHeartbeat heartbeat;
    private final Counter malformed;
    private final Counter expired;
    private final Counter orphaned;
    private final Set<CompletableFuture<Void>> unregistering = ConcurrentHashMap.newKeySet();

    private RedisPresence(Builder builder) {
        this.redis = builder.redis;
        this.keys = RedisKeys.of(builder.prefix);
        this.nodeId = builder.nodeId;
        this.sessionTtl = builder.sessionTtl;
        this.liveness = new Liveness(builder.heartbeat);
        this.clock = builder.clock;
        MeterRegistry registry = builder.meterRegistry;
        this.malformed = Counter.builder("pigeon.presence.malformed")
                .description("presence entries in Redis that could not be read")
                .register(registry);
        this.expired = stale(registry, "expired");
        this.orphaned = stale(registry, "node_gone");
        this.liveNodes = new LiveNodes(redis, keys, liveness);
        this.stats = new ClusterStats(redis, keys, malformed);
        this.heartbeat = new NodeHeartbeat(redis, keys, nodeId, liveness, own, this::write, registry);
    }

    public static Builder builder(RedissonClient redis) {
        return new Builder(redis);
    }

    /** Enters a session of this node; completes once it is in Redis. */
    @Override
    public CompletionStage<Void> register(SessionInfo session) {
        if (!nodeId.equals(session.node())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "session " + session.session() + " belongs to node " + session.node() + ", not " + nodeId));
        }
        own.add(session);
        // after the first beat, so that no lookup finds the session before its node's liveness key
        return heartbeat.firstBeat().thenCompose(ignored -> write(List.of(session))).whenComplete((ignored, failure) -> {
            if (failure != null) {
                own.remove(session);
            }
        });
    }

    /** Writes each session again with a fresh time; one that had expired or was dropped comes back. */
    @Override
    public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
        sessions.forEach(own::update);
        return write(sessions);
    }

    /** Removes a session of this node; {@link #closeAsync()} waits for the removals in flight. */
    @Override
    public CompletionStage<Void> unregister(SessionInfo session) {
        own.remove(session);
        CompletableFuture<Void> removal = RedisCalls.call("unregistering a session", () ->
                        redis.getMap(keys.presence(session.user()), StringCodec.INSTANCE).fastRemoveAsync(session.session()))
                .thenApply(removed -> null);
        unregistering.add(removal);
        removal.whenComplete((ignored, failure) -> unregistering.remove(removal));
        return removal;
    }

    @Override
    public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users) {
        List<String> wanted = users.stream().distinct().toList();
        if (wanted.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return RedisCalls.call("reading presence", () -> {
            RBatch batch = redis.createBatch();
            List<RFuture<Map<String, String>>> reads = new ArrayList<>(wanted.size());
            for (String user : wanted) {
                RMapAsync<String, String> sessions = batch.getMap(keys.presence(user), StringCodec.INSTANCE);
                reads.add(sessions.readAllMapAsync());
            }
            return RedisCalls.execute(batch, reads).thenCompose(done -> {
                Lookup lookup = new Lookup(clock.millis());
                for (int i = 0; i < wanted.size(); i++) {
                    lookup.read(wanted.get(i), reads.get(i).toCompletableFuture().join());
                }
                return liveNodes.alive(lookup.nodes()).thenApply(lookup::answer);
            });
        });
    }

    @Override
    public CompletionStage<PresenceStats> stats() {
        return RedisCalls.call("reading presence stats", stats::read);
    }

    /**
     * Lets the sessions still unregistering finish (for at most the liveness TTL: a removal that fails
     * or hangs is harmless, the node's entries drop out with it), then stops beating and takes this
     * node out of presence at once. The Redisson client stays open.
     */
    public CompletionStage<Void> closeAsync() {
        long patience = liveness.ttl().toMillis();
        return CompletableFuture.allOf(unregistering.toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> null)
                .completeOnTimeout(null, patience, TimeUnit.MILLISECONDS)
                .thenCompose(unregistered -> {
                    liveNodes.forget(nodeId);
                    return heartbeat.leave();
                });
    }

    /**
     * {@link #closeAsync()}, waiting at most twice the liveness TTL: once for the sessions still
     * unregistering, once for leaving (by then the node has expired anyway).
     */
    @Override
    public void close() {
        Duration patience = liveness.ttl().multipliedBy(2);
        try {
            closeAsync().toCompletableFuture().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("node {} could not leave presence; it expires within {}", nodeId, liveness.ttl(),
                    RedisCalls.unwrap(e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes sessions stamped now, one HSET and one PEXPIRE per user, in one batch. */
    private CompletionStage<Void> write(Collection<SessionInfo> sessions) {
        if (sessions.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        Map<String, Map<String, String>> byUser = new LinkedHashMap<>();
        for (SessionInfo session : sessions) {
            byUser.computeIfAbsent(session.user(), user -> new LinkedHashMap<>())
                    .put(session.session(), new StoredSession(session, now).encode());
        }
        return RedisCalls.call("writing presence", () -> {
            RBatch batch = redis.createBatch();
            byUser.forEach((user, entries) -> {
                RMapAsync<String, String> hash = batch.getMap(keys.presence(user), StringCodec.INSTANCE);
                hash.putAllAsync(entries);
                hash.expireAsync(sessionTtl);
            });
            return batch.executeAsync();
        }).thenApply(done -> null);
    }

    /** Deletes entries a lookup found stale, unless they were written again meanwhile; nobody waits for it. */
    private void deleteUnchanged(Map<String, Map<String, String>> staleByUser) {
        if (staleByUser.isEmpty()) {
            return;
        }
        try {
            RBatch batch = redis.createBatch();
            staleByUser.forEach((user, entries) -> {
                String key = keys.presence(user);
                Object[] fieldsAndValues = entries.entrySet().stream()
                        .flatMap(entry -> Stream.of(entry.getKey(), entry.getValue()))
                        .toArray();
                batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, DELETE_UNCHANGED,
                        RScript.ReturnType.LONG, List.of(key), fieldsAndValues);
            });
            batch.executeAsync().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    log.debug("deleting stale presence entries failed; they expire anyway", failure);
                }
            });
        } catch (RuntimeException e) {
            log.debug("deleting stale presence entries failed; they expire anyway", e);
        }
    }

    private static Counter stale(MeterRegistry registry, String reason) {
        return Counter.builder("pigeon.presence.stale")
                .description("session entries a lookup skipped and deleted: expired, or their node stopped beating")
                .tag("reason", reason)
                .register(registry);
    }

    /** One lookup's reading of the hashes: fresh entries wait for the liveness of their nodes. */
    private final class Lookup {
        private final long now;
        private final long ttlMillis = sessionTtl.toMillis();
        private final Map<String, List<Read>> fresh = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> stale = new LinkedHashMap<>();

        Lookup(long now) {
            this.now = now;
        }

        void read(String user, Map<String, String> entries) {
            List<Read> found = new ArrayList<>(entries.size());
            fresh.put(user, found);
            entries.forEach((session, raw) -> {
                StoredSession stored;
                try {
                    stored = StoredSession.decode(user, session, raw);
                } catch (IllegalArgumentException e) {
                    malformed.increment();
                    log.warn("presence entry {} of {} is malformed: {}", session, user, e.getMessage());
                    return;
                }
                if (stored.freshAt(now, ttlMillis)) {
                    found.add(new Read(stored.info(), raw));
                } else {
                    expired.increment();
                    staleEntry(user, session, raw);
                }
            });
        }

        Set<String> nodes() {
            Set<String> nodes = new HashSet<>();
            fresh.values().forEach(reads -> reads.forEach(read -> nodes.add(read.info.node())));
            return nodes;
        }

        Map<String, List<SessionInfo>> answer(Set<String> liveNodes) {
            Map<String, List<SessionInfo>> answer = new LinkedHashMap<>();
            fresh.forEach((user, reads) -> {
                List<SessionInfo> live = new ArrayList<>(reads.size());
                for (Read read : reads) {
                    if (liveNodes.contains(read.info.node())) {
                        live.add(read.info);
                    } else {
                        orphaned.increment();
                        staleEntry(user, read.info.session(), read.raw);
                    }
                }
                answer.put(user, List.copyOf(live));
            });
            deleteUnchanged(stale);
            return answer;
        }

        private void staleEntry(String user, String session, String raw) {
            stale.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(session, raw);
        }
    }

    private record Read(SessionInfo info, String raw) {
    }

    /** Assembles a {@link RedisPresence}; the node id is required. {@link #build()} starts the node's beat. */
    public static final class Builder {
        private final RedissonClient redis;
        private String prefix = DEFAULT_PREFIX;
        private String nodeId;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;

        private Builder(RedissonClient redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
        }

        /** Separates deployments sharing one Redis: keys live under {@code pigeon:<prefix>:}. */
        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** The node whose sessions this instance registers and whose liveness it beats. */
        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /** How long a session entry lives after its last refresh; keep it well above the refresh interval. */
        public Builder sessionTtl(Duration sessionTtl) {
            this.sessionTtl = sessionTtl;
            return this;
        }

        /**
         * How often this node beats on its liveness key. The key lives 1.5 of these and other nodes
         * trust a node found alive for half of one, so a node that stops beating leaves every lookup
         * within two of these (see {@link Liveness}). At least 2 ms.
         */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /** The source of entry times; every node's clock should agree to well within the session TTL. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        public RedisPresence build() {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(clock, "clock");
            RedisKeys.of(prefix);
            if (nodeId.isEmpty()) {
                throw new IllegalArgumentException("node id must not be empty");
            }
            if (sessionTtl.toMillis() <= 0) {
                throw new IllegalArgumentException("session ttl must be positive");
            }
            new Liveness(heartbeat);
            if (meterRegistry == null) {
                meterRegistry = new SimpleMeterRegistry();
            }
            return new RedisPresence(this);
        }
    }
}
