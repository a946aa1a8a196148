package dev.pigeon.router.redis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.router.SessionInfo;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sessions one node holds, as it writes them into its liveness key on every beat:
 * {@code {"sessions":N,"by_region":{...},"by_transport":{...}}}. Users are counted apart (a
 * HyperLogLog per node), since a user on two nodes must count once.
 */
record NodeCounts(long sessions, Map<String, Long> byRegion, Map<String, Long> byTransport) {
    NodeCounts {
        byRegion = Map.copyOf(byRegion);
        byTransport = Map.copyOf(byTransport);
    }

    static NodeCounts of(Collection<SessionInfo> sessions) {
        return new NodeCounts(sessions.size(), countBy(sessions, SessionInfo::region),
                countBy(sessions, SessionInfo::transport));
    }

    String encode() {
        ObjectNode json = JsonValues.object().put("sessions", sessions);
        json.set("by_region", JsonValues.counts(byRegion));
        json.set("by_transport", JsonValues.counts(byTransport));
        return JsonValues.write(json);
    }

    /** @throws IllegalArgumentException when {@code json} is not a node's counts */
    static NodeCounts decode(String json) {
        ObjectNode value = JsonValues.parse(json);
        return new NodeCounts(JsonValues.integer(value, "sessions"), JsonValues.counts(value, "by_region"),
                JsonValues.counts(value, "by_transport"));
    }

    private static Map<String, Long> countBy(Collection<SessionInfo> sessions, Function<SessionInfo, String> key) {
        return sessions.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }
}
