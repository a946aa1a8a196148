package dev.pigeon.gateway.link;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.router.region.Placement;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.router.region.Standing;
import dev.pigeon.storage.HomeStore;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A region's side of the link that records every call as {@code [name, arguments...]} and answers
 * with fixed values, or with whatever {@link #outcome} supplies when it is set.
 */
final class RecordingCalls implements RegionCalls {
    final List<List<Object>> calls = new CopyOnWriteArrayList<>();
    volatile Frame.Sent sent = new Frame.Sent("r-1", "m-1", "dm:alice:bob", 4, 9, 1_700_000_000_000L);
    volatile Placement placement = new Placement(7, Map.of("bob", 12L, "carol", 3L));
    volatile Standing standing = new Standing("eu", Set.of("us", "ap"), List.of("eu-1", "eu-2"));
    volatile Map<String, List<SessionInfo>> sessions = Map.of(
            "alice", List.of(new SessionInfo("s-1", "alice", "eu-1", "eu", "ws", "phone", 1_000, 2_000)),
            "bob", List.of());
    volatile PresenceStats stats = new PresenceStats(1, 1, Map.of("eu", 1L), Map.of("eu-1", 1L), Map.of("ws", 1L));
    /** When set, every call answers with what it supplies instead. */
    volatile Supplier<CompletionStage<?>> outcome;

    @Override
    public CompletionStage<Frame.Sent> send(String sender, Frame.Send send) {
        return record(sent, "send", sender, send);
    }

    @Override
    public CompletionStage<Placement> place(String conversation, List<LogEntry> entries) {
        return record(placement, "place", conversation, entries);
    }

    @Override
    public CompletionStage<Void> deliver(List<Delivery> deliveries) {
        return record(null, "deliver", deliveries);
    }

    @Override
    public CompletionStage<Void> ack(String user, String device, long upTo) {
        return record(null, "ack", user, device, upTo);
    }

    @Override
    public CompletionStage<Void> read(String user, String conversation, long upTo) {
        return record(null, "read", user, conversation, upTo);
    }

    @Override
    public CompletionStage<Void> forgetHome(HomeStore.Kind kind, String id) {
        return record(null, "forgetHome", kind, id);
    }

    @Override
    public CompletionStage<Standing> standing() {
        return record(standing, "standing");
    }

    @Override
    public CompletionStage<Map<String, List<SessionInfo>>> sessions(List<String> users) {
        return record(sessions, "sessions", users);
    }

    @Override
    public CompletionStage<PresenceStats> stats() {
        return record(stats, "stats");
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> record(T answer, Object... call) {
        calls.add(Arrays.asList(call));
        Supplier<CompletionStage<?>> instead = outcome;
        return instead != null ? (CompletionStage<T>) instead.get() : CompletableFuture.completedFuture(answer);
    }
}
