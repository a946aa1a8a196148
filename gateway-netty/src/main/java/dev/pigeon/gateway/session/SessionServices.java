package dev.pigeon.gateway.session;

import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.Router;

import java.time.Clock;
import java.time.Duration;

/**
 * What every client session of a node shares.
 *
 * @param nodeId             this node, as {@code hello} and presence name it
 * @param region             this node's region
 * @param outboundQueueLimit frames a session may hold back while its channel is not writable
 * @param gapRetryDelay      how long a session waits before reading the inbox again when a delivery
 *                           announced entries the inbox does not show yet
 */
public record SessionServices(Router router, HomeDirectory homes, FrameValidator validator, GatewayMetrics metrics,
                              SessionTable table, Clock clock, String nodeId, String region,
                              int outboundQueueLimit, Duration gapRetryDelay) {
}
