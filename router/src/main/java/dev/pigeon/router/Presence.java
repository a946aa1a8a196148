package dev.pigeon.router;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Which sessions are live, on which nodes: user to session entries that expire unless refreshed.
 * The in-process implementation serves one node; the Redis one serves a cluster.
 */
public interface Presence {

    CompletionStage<Void> register(SessionInfo session);

    CompletionStage<Void> refresh(Collection<SessionInfo> sessions);

    CompletionStage<Void> unregister(SessionInfo session);

    /** The live sessions of each of {@code users} (a user without sessions maps to an empty list). */
    CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users);

    /** Counts over every live session. */
    CompletionStage<PresenceStats> stats();
}
