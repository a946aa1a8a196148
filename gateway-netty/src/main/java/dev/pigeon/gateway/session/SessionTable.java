package dev.pigeon.gateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The client sessions of this node, by user: enforces the per-user limit and finds them all at shutdown. */
public final class SessionTable {
    private final int sessionsPerUser;
    private final ConcurrentMap<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();

    public SessionTable(int sessionsPerUser) {
        this.sessionsPerUser = sessionsPerUser;
    }

    /** Enters a session unless its user already holds the most sessions allowed. */
    boolean tryAdd(ClientSession session) {
        boolean[] added = {false};
        byUser.compute(session.user(), (user, sessions) -> {
            Set<ClientSession> target = sessions != null ? sessions : ConcurrentHashMap.newKeySet();
            if (target.size() < sessionsPerUser) {
                added[0] = target.add(session);
            }
            return target.isEmpty() ? null : target;
        });
        return added[0];
    }

    void remove(ClientSession session) {
        byUser.computeIfPresent(session.user(), (user, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    public List<ClientSession> all() {
        List<ClientSession> all = new ArrayList<>();
        byUser.values().forEach(all::addAll);
        return all;
    }
}
