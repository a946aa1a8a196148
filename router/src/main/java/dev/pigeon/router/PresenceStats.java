package dev.pigeon.router;

import java.util.Map;

/** The figures of {@code GET /admin/stats}. */
public record PresenceStats(long onlineUsers, long sessions, Map<String, Long> byRegion, Map<String, Long> byNode,
                            Map<String, Long> byTransport) {
    public PresenceStats {
        byRegion = Map.copyOf(byRegion);
        byNode = Map.copyOf(byNode);
        byTransport = Map.copyOf(byTransport);
    }
}
