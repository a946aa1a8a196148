package dev.pigeon.ops;

import dev.pigeon.gateway.GatewayServer;
import org.slf4j.LoggerFactory;

/**
 * A started node, embedded or cluster: its gateway and the parts under it, stopped together.
 * Stopping stops the gateway first (sessions are told to reconnect, in-flight requests finish within
 * the shutdown grace), then closes the rest newest first, logging each step.
 */
public abstract class RunningNode implements AutoCloseable {
    private final StartedParts parts;
    private final GatewayServer gateway;

    protected RunningNode(StartedParts parts, GatewayServer gateway) {
        this.parts = parts;
        this.gateway = gateway;
    }

    /** The public port actually bound (useful with port 0). */
    public int port() {
        return gateway.port();
    }

    public int adminPort() {
        return gateway.adminPort();
    }

    /** Stops the node; safe to call twice. */
    public void stop() {
        if (parts.closeAll()) {
            LoggerFactory.getLogger(getClass()).info("stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() {
        parts.awaitClosed();
    }
}
