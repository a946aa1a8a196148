package dev.pigeon.router.redis;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every Redis key and channel Pigeon uses under one prefix, so that several deployments (or test
 * classes) share a Redis without seeing each other's data: everything lives under
 * {@code pigeon:<prefix>:}.
 */
final class RedisKeys {
    private static final Pattern PREFIX_RULE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String prefix;
    private final String base;

    private RedisKeys(String prefix) {
        this.prefix = prefix;
        this.base = "pigeon:" + prefix + ":";
    }

    static RedisKeys of(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX_RULE.matcher(prefix).matches()) {
            throw new IllegalArgumentException("key prefix must match " + PREFIX_RULE + ": " + prefix);
        }
        return new RedisKeys(prefix);
    }

    /** Hash of one user's sessions: session id to encoded entry. */
    String presence(String user) {
        return base + "presence:" + user;
    }

    /** A node's liveness key, with a short TTL the node renews; its value is the node's session counts. */
    String node(String node) {
        return base + "node:" + node;
    }

    /** Set of the nodes that have beaten, live or recently dead; stats reads it to find every node. */
    String nodes() {
        return base + "nodes";
    }

    /**
     * HyperLogLog of the users with a session on {@code node}. The hash tag puts every node's one in
     * the same cluster slot, so one PFCOUNT counts the users of all nodes without double counting.
     */
    String nodeUsers(String node) {
        return base + "users:{" + prefix + "}:" + node;
    }

    /** Sharded pub/sub channel carrying the deliveries addressed to {@code node}. */
    String bus(String node) {
        return base + "bus:" + node;
    }

    /** Sharded pub/sub channel on which every node announces the groups whose members it changed. */
    String groupChanges() {
        return base + "bus-groups";
    }

    /** Glob matching every key under this prefix. */
    String everything() {
        return base + "*";
    }
}
