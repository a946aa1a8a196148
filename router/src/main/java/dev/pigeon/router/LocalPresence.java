package dev.pigeon.router;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Presence held in this process, for the embedded mode. Entries expire unless refreshed within the
 * time to live, exactly as the Redis entries do, so a session whose node stopped beating drops out.
 */
public final class LocalPresence implements Presence {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private final Clock clock;
    private final long ttlMillis;
    /** user to session id to entry */
    private final ConcurrentMap<String, ConcurrentMap<String, Entry>> users = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepAt;

    private LocalPresence(Clock clock, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("presence ttl must be positive");
        }
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.nextSweepAt = new AtomicLong(clock.millis() + ttlMillis);
    }

    public static LocalPresence create() {
        return create(Clock.systemUTC(), DEFAULT_TTL);
    }

    public static LocalPresence create(Clock clock, Duration ttl) {
        return new LocalPresence(clock, ttl);
    }

    @Override
    public CompletionStage<Void> register(SessionInfo session) {
        put(session);
        return CompletableFuture.completedFuture(null);
    }

    /** Re-enters each session for another time to live; one that had expired comes back, as a Redis SET would. */
    @Override
    public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
        sessions.forEach(this::put);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unregister(SessionInfo session) {
        users.computeIfPresent(session.user(), (user, sessions) -> {
            sessions.remove(session.session());
            return sessions.isEmpty() ? null : sessions;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> wanted) {
        long now = clock.millis();
        Map<String, List<SessionInfo>> answer = new LinkedHashMap<>();
        for (String user : wanted) {
            answer.put(user, live(user, now).toList());
        }
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletionStage<PresenceStats> stats() {
        long now = clock.millis();
        List<SessionInfo> all = users.keySet().stream().flatMap(user -> live(user, now)).toList();
        long onlineUsers = all.stream().map(SessionInfo::user).distinct().count();
        return CompletableFuture.completedFuture(new PresenceStats(onlineUsers, all.size(),
                countBy(all, SessionInfo::region), countBy(all, SessionInfo::node), countBy(all, SessionInfo::transport)));
    }

    /** Entries held in memory, live or not yet swept. */
    int trackedEntries() {
        return users.values().stream().mapToInt(Map::size).sum();
    }

    private void put(SessionInfo session) {
        long now = clock.millis();
        sweepIfDue(now);
        users.compute(session.user(), (user, sessions) -> {
            ConcurrentMap<String, Entry> target = sessions != null ? sessions : new ConcurrentHashMap<>();
            target.put(session.session(), new Entry(session, now + ttlMillis));
            return target;
        });
    }

    private Stream<SessionInfo> live(String user, long now) {
        Map<String, Entry> sessions = users.get(user);
        if (sessions == null) {
            return Stream.empty();
        }
        return sessions.values().stream().filter(entry -> entry.expiresAt > now).map(Entry::session);
    }

    /** Drops expired entries now and then, so sessions that vanished without unregistering do not pile up. */
    private void sweepIfDue(long now) {
        long due = nextSweepAt.get();
        if (now < due || !nextSweepAt.compareAndSet(due, now + ttlMillis)) {
            return;
        }
        for (String user : users.keySet()) {
            users.computeIfPresent(user, (u, sessions) -> {
                sessions.values().removeIf(entry -> entry.expiresAt <= now);
                return sessions.isEmpty() ? null : sessions;
            });
        }
    }

    private static Map<String, Long> countBy(List<SessionInfo> sessions, Function<SessionInfo, String> key) {
        return sessions.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private record Entry(SessionInfo session, long expiresAt) {
    }
}
