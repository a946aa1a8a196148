/**
 * Presence and the node bus on Redis, for cluster mode: {@link dev.pigeon.router.redis.RedisPresence}
 * and {@link dev.pigeon.router.redis.RedisNodeBus}, both on one Redisson client per node that the
 * caller creates and shuts down (after closing them).
 *
 * <p>Keys, all under {@code pigeon:<prefix>:} (the prefix separates deployments sharing a Redis):
 * <ul>
 *   <li>{@code presence:<user>}: hash, session id to the session's JSON (with {@code written_at});
 *       TTL the session TTL (60 s), renewed by each refresh (every 25 s);</li>
 *   <li>{@code node:<node>}: the node's liveness key, renewed every heartbeat interval (default 2 s)
 *       with a TTL of 1.5 intervals, so a dead node leaves presence within two; it holds the node's
 *       session counts;</li>
 *   <li>{@code nodes}: set of the nodes that beat, for stats;</li>
 *   <li>{@code users:{<prefix>}:<node>}: HyperLogLog of a node's users, for stats; the hash tag keeps
 *       them all in one cluster slot;</li>
 *   <li>{@code bus:<node>}: the node's sharded pub/sub channel.</li>
 * </ul>
 * Nothing needs keys in one slot except the HyperLogLogs, so all of it runs on Redis Cluster.
 * Nothing here is durable or needs to be: a Redis restart loses presence for about one beat (each
 * node writes its sessions back) and the deliveries in flight (sessions fill them from the inbox).
 */
package dev.pigeon.router.redis;
