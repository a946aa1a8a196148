package dev.pigeon.router.redis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.router.SessionInfo;

/**
 * A session as its user's presence hash holds it: field = session id, value = this, encoded as
 * {@code {"node","region","transport","device","connected_at","last_seen","written_at"}} (the user
 * is the key, the session the field). {@code writtenAt} is when its node last wrote it: the entry
 * counts as expired once that is older than the session TTL, whatever the key's own TTL says.
 */
record StoredSession(SessionInfo info, long writtenAt) {

    boolean freshAt(long now, long ttlMillis) {
        return now - writtenAt < ttlMillis;
    }

    String encode() {
        ObjectNode json = JsonValues.object()
                .put("node", info.node())
                .put("region", info.region())
                .put("transport", info.transport())
                .put("device", info.device())
                .put("connected_at", info.connectedAt())
                .put("last_seen", info.lastSeen())
                .put("written_at", writtenAt);
        return JsonValues.write(json);
    }

    /** @throws IllegalArgumentException when {@code json} is not an entry */
    static StoredSession decode(String user, String session, String json) {
        ObjectNode value = JsonValues.parse(json);
        SessionInfo info = new SessionInfo(session, user, JsonValues.text(value, "node"),
                JsonValues.text(value, "region"), JsonValues.text(value, "transport"), JsonValues.text(value, "device"),
                JsonValues.integer(value, "connected_at"), JsonValues.integer(value, "last_seen"));
        return new StoredSession(info, JsonValues.integer(value, "written_at"));
    }
}
