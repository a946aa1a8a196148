package dev.pigeon.router;

/**
 * One live session, as presence records it and the admin API shows it. Times are epoch
 * milliseconds; {@code transport} is {@code ws}, {@code sse} or {@code poll}.
 */
public record SessionInfo(String session, String user, String node, String region, String transport,
                          String device, long connectedAt, long lastSeen) {

    public SessionInfo seenAt(long now) {
        return new SessionInfo(session, user, node, region, transport, device, connectedAt, now);
    }
}
