package dev.pigeon.router.redis;

import dev.pigeon.router.SessionInfo;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sessions registered on this node, as last written: what the heartbeat counts, and what it
 * writes back when Redis lost them (a restart without persistence). The version moves whenever a
 * session comes or goes, so the heartbeat recounts users only when something changed.
 */
final class OwnSessions {
    private final ConcurrentMap<String, SessionInfo> bySession = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    void add(SessionInfo session) {
        bySession.put(session.session(), session);
        version.incrementAndGet();
    }

    /** Takes the newer {@code lastSeen} of a session still registered; one already gone stays gone. */
    void update(SessionInfo session) {
        bySession.replace(session.session(), session);
    }

    void remove(SessionInfo session) {
        if (bySession.remove(session.session()) != null) {
            version.incrementAndGet();
        }
    }

    long version() {
        return version.get();
    }

    List<SessionInfo> snapshot() {
        return List.copyOf(bySession.values());
    }
}
