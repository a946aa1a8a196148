package dev.pigeon.router.resilience;

import dev.pigeon.router.Presence;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Presence} whose every call goes through a circuit breaker, bulkhead and timeout named
 * {@value #NAME}, as {@link ResilientMessageStore} does for storage: presence on Redis is a remote call too.
 */
public final class ResilientPresence implements Presence {
    /** The name of the breaker and bulkhead, the {@code name} tag of their meters. */
    public static final String NAME = "presence";

    private final Presence delegate;
    private final CallGuard guard;

    public ResilientPresence(Presence delegate, ResilienceSettings settings, MeterRegistry meters) {
        this.delegate = delegate;
        this.guard = new CallGuard(NAME, settings, meters);
    }

    @Override
    public CompletionStage<Void> register(SessionInfo session) {
        return guard.call(() -> delegate.register(session));
    }

    @Override
    public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
        return guard.call(() -> delegate.refresh(sessions));
    }

    @Override
    public CompletionStage<Void> unregister(SessionInfo session) {
        return guard.call(() -> delegate.unregister(session));
    }

    @Override
    public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users) {
        return guard.call(() -> delegate.sessions(users));
    }

    @Override
    public CompletionStage<PresenceStats> stats() {
        return guard.call(delegate::stats);
    }
}
