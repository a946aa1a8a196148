package dev.pigeon.router;

import dev.pigeon.router.region.RegionLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Presence as the admin API shows it, across all regions: this region's, plus what each other
 * region not declared lost answers over the link. A region that does not answer is left out (the
 * answer is what could be seen), never a failure. Sessions register with this region's presence
 * only; the router's fan-out keeps using that one, since each region delivers to its own nodes.
 * In the counts, a user online in two regions counts in each.
 */
final class AllRegionsPresence implements Presence {
    private static final Logger log = LoggerFactory.getLogger(AllRegionsPresence.class);

    private final Presence local;
    private final RegionLink link;
    private final RegionStates states;
    private final StoreCalls calls;

    AllRegionsPresence(Presence local, RegionLink link, RegionStates states, StoreCalls calls) {
        this.local = local;
        this.link = link;
        this.states = states;
        this.calls = calls;
    }

    @Override
    public CompletionStage<Void> register(SessionInfo session) {
        return local.register(session);
    }

    @Override
    public CompletionStage<Void> refresh(Collection<SessionInfo> sessions) {
        return local.refresh(sessions);
    }

    @Override
    public CompletionStage<Void> unregister(SessionInfo session) {
        return local.unregister(session);
    }

    @Override
    public CompletionStage<Map<String, List<SessionInfo>>> sessions(Collection<String> users) {
        List<String> asked = List.copyOf(users);
        List<CompletableFuture<Map<String, List<SessionInfo>>>> answers = new ArrayList<>();
        answers.add(calls.call(() -> local.sessions(asked)));
        for (String region : reachable()) {
            answers.add(orNothing(region, calls.call(() -> link.to(region).sessions(asked)), Map.of()));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, List<SessionInfo>> merged = new HashMap<>();
            asked.forEach(user -> merged.put(user, new ArrayList<>()));
            answers.forEach(answer -> answer.join().forEach((user, sessions) ->
                    merged.computeIfAbsent(user, u -> new ArrayList<>()).addAll(sessions)));
            return merged;
        });
    }

    @Override
    public CompletionStage<PresenceStats> stats() {
        List<CompletableFuture<PresenceStats>> answers = new ArrayList<>();
        answers.add(calls.call(local::stats));
        for (String region : reachable()) {
            answers.add(orNothing(region, calls.call(() -> link.to(region).stats()), null));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            long users = 0;
            long sessions = 0;
            Map<String, Long> byRegion = new HashMap<>();
            Map<String, Long> byNode = new HashMap<>();
            Map<String, Long> byTransport = new HashMap<>();
            for (CompletableFuture<PresenceStats> answer : answers) {
                PresenceStats stats = answer.join();
                if (stats == null) {
                    continue;
                }
                users += stats.onlineUsers();
                sessions += stats.sessions();
                stats.byRegion().forEach((key, count) -> byRegion.merge(key, count, Long::sum));
                stats.byNode().forEach((key, count) -> byNode.merge(key, count, Long::sum));
                stats.byTransport().forEach((key, count) -> byTransport.merge(key, count, Long::sum));
            }
            return new PresenceStats(users, sessions, byRegion, byNode, byTransport);
        });
    }

    private List<String> reachable() {
        return link.peers().stream().filter(region -> !states.isLost(region)).sorted().toList();
    }

    private static <T> CompletableFuture<T> orNothing(String region, CompletableFuture<T> answer, T nothing) {
        return answer.handle((value, failure) -> {
            if (failure != null) {
                log.debug("region {} did not answer for presence: {}", region, Failures.unwrap(failure).toString());
                return nothing;
            }
            return value;
        });
    }
}
