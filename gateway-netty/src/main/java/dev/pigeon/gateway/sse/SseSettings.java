package dev.pigeon.gateway.sse;

import java.time.Duration;

/**
 * How SSE streams run.
 *
 * @param keepalive   how often a {@code : ka} comment is sent
 * @param maxLifetime when a stream ends cleanly so the client reconnects
 * @param retry       the reconnection delay announced with {@code retry:}
 */
public record SseSettings(Duration keepalive, Duration maxLifetime, Duration retry) {
}
