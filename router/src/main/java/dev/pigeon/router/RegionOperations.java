package dev.pigeon.router;

import dev.pigeon.homing.EpochedMessageStore;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.homing.StreamChain;
import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import dev.pigeon.router.region.RegionAdmin;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.RegionStore;
import dev.pigeon.storage.RegionStore.RegionBeat;
import dev.pigeon.storage.RegionStore.RegionFailover;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.StoredHome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A node's part in a deployment of several regions (docs/regions.md): its heartbeat and the lag it
 * sees, the outbox forwarder, and the operator's levers: planned re-homing of a user, failover of a
 * lost region and reconciliation once it is back.
 */
final class RegionOperations implements RegionAdmin, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegionOperations.class);
    /** A region is healthy while a beat of it arrived within this many intervals. */
    private static final int HEALTHY_BEATS = 3;
    /** Homes moved at once by a failover. */
    private static final int MOVES_IN_FLIGHT = 8;
    /** Tries of one home's move while storage is still coming back (its breaker half open, say). */
    private static final int MOVE_ATTEMPTS = 20;
    private static final Duration MOVE_RETRY = Duration.ofMillis(500);
    /** Outbox entries one sweep forwards per region. */
    private static final int OUTBOX_PAGE = 200;
    private static final Duration OUTBOX_SWEEP = Duration.ofMillis(500);
    /** How long a planned move lets its moving mark replicate before it tells every node again. */
    private static final Duration MARK_REPLICATED = Duration.ofSeconds(1);
    /** Orphans read from one conversation of a returning region at once. */
    private static final int ORPHAN_PAGE = 500;

    private final RegionParts parts;
    private final HomeDirectory homes;
    private final RegionRouting routing;
    private final MovedMemberRepair repair;
    private final Membership membership;
    private final StoreCalls calls;
    private final BiFunction<String, String, CompletionStage<Void>> disconnect;
    private final BiFunction<String, Frame.Send, CompletionStage<Frame.Sent>> resend;
    private final String nodeId;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Long> newestBeats = new ConcurrentHashMap<>();
    private volatile List<RegionBeat> beats = List.of();

    RegionOperations(RegionParts parts, HomeDirectory homes, RegionRouting routing, MovedMemberRepair repair,
                     Membership membership, StoreCalls calls, BiFunction<String, String, CompletionStage<Void>> disconnect,
                     BiFunction<String, Frame.Send, CompletionStage<Frame.Sent>> resend, String nodeId, Clock clock,
                     MeterRegistry registry) {
        this.parts = parts;
        this.homes = homes;
        this.routing = routing;
        this.repair = repair;
        this.membership = membership;
        this.calls = calls;
        this.disconnect = disconnect;
        this.resend = resend;
        this.nodeId = nodeId;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pigeon-regions-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        for (String region : knownRegions()) {
            Gauge.builder("pigeon.region.replication.lag", () -> lagMillis(region).orElse(-1L) / 1000.0)
                    .description("how far behind this data centre sees the region (now minus its newest beat), -1 before its first beat")
                    .baseUnit("seconds").tag("region", region).register(registry);
            Gauge.builder("pigeon.region.nodes", () -> liveNodes(region).size())
                    .description("nodes of the region whose beat arrived within " + HEALTHY_BEATS + " intervals")
                    .tag("region", region).register(registry);
        }
        long beatMillis = parts.beatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beat, 0, beatMillis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::sweepOutboxes, OUTBOX_SWEEP.toMillis(), OUTBOX_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Learns this region's standing from the other regions (a region coming back after a failover
     * must not write as a home until reconciled) and from storage. Nodes call it before they report
     * ready; a peer that cannot be reached is skipped.
     */
    CompletableFuture<Void> learnStanding() {
        List<CompletableFuture<Void>> asks = new ArrayList<>();
        asks.add(calls.call(() -> parts.states().refresh()));
        for (String peer : parts.link().peers()) {
            asks.add(calls.call(() -> parts.link().to(peer).standing()).handle((standing, failure) -> {
                if (standing != null) {
                    standing.lostRegions().forEach(parts.states()::markLost);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new));
    }

    // ---- status ----

    @Override
    public CompletionStage<List<RegionStatus>> regions() {
        return Failures.settle(() -> calls.call(() -> parts.regionStore().beats()).thenApply(read -> {
            remember(read);
            List<RegionStatus> statuses = new ArrayList<>();
            for (String region : knownRegions()) {
                Optional<Long> lag = lagMillis(region);
                boolean lost = parts.states().isLost(region);
                boolean healthy = !lost && lag.isPresent() && lag.get() <= HEALTHY_BEATS * parts.beatInterval().toMillis();
                statuses.add(new RegionStatus(region, lost ? "lost" : "active", healthy, liveNodes(region),
                        lag.orElse(null)));
            }
            return statuses;
        }));
    }

    private void beat() {
        long now = clock.millis();
        parts.regionStore().beat(new RegionBeat(routing.localRegion(), nodeId, now))
                .thenCompose(written -> parts.regionStore().beats())
                .thenAccept(this::remember)
                .thenCompose(read -> parts.states().refresh())
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.debug("region beat failed: {}", Failures.unwrap(failure).toString());
                    }
                });
    }

    private void remember(List<RegionBeat> read) {
        beats = List.copyOf(read);
        read.forEach(beat -> newestBeats.merge(beat.region(), beat.atMillis(), Math::max));
    }

    private Optional<Long> lagMillis(String region) {
        if (region.equals(routing.localRegion())) {
            return Optional.of(0L);
        }
        Long newest = newestBeats.get(region);
        return newest == null ? Optional.empty() : Optional.of(Math.max(0, clock.millis() - newest));
    }

    private List<String> liveNodes(String region) {
        long since = clock.millis() - HEALTHY_BEATS * parts.beatInterval().toMillis();
        return beats.stream().filter(beat -> beat.region().equals(region) && beat.atMillis() >= since)
                .map(RegionBeat::node).sorted().toList();
    }

    private List<String> knownRegions() {
        TreeSet<String> regions = new TreeSet<>(parts.link().peers());
        regions.add(routing.localRegion());
        return List.copyOf(regions);
    }

    // ---- the outbox forwarder ----

    private void sweepOutboxes() {
        for (String region : parts.link().peers()) {
            if (parts.states().isLost(region)) {
                continue;
            }
            parts.regionStore().outbox(region, OUTBOX_PAGE).thenCompose(entries -> {
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                for (RegionStore.OutboxEntry entry : entries) {
                    chain = chain.thenCompose(done -> routing.push(region, entry.conversation(), entry.convSeq())
                            .handle((placement, failure) -> null));
                }
                return chain;
            }).whenComplete((done, failure) -> {
                if (failure != null) {
                    log.debug("outbox sweep for region {} failed: {}", region, Failures.unwrap(failure).toString());
                }
            });
        }
    }

    // ---- planned re-homing ----

    @Override
    public CompletionStage<HomeMove> rehome(String user, String region) {
        return Failures.settle(() -> {
            UserId.require(user, "user");
            requireKnown(region);
            if (!region.equals(routing.localRegion())) {
                throw ProtocolException.badRequest("a user is re-homed by a node of the new home: ask a node of region "
                        + region);
            }
            if (parts.states().isLost(region)) {
                throw ProtocolException.unavailable("region " + region + " is declared lost");
            }
            return calls.call(() -> parts.homeStore().home(Kind.USER, user)).thenCompose(found -> {
                if (found.isEmpty()) {
                    return calls.call(() -> parts.homeStore().claimIfAbsent(Kind.USER, user, region))
                            .thenApply(home -> new HomeMove(user, home.region(), home.region(), home.epoch()));
                }
                StoredHome home = found.get();
                if (home.moving()) {
                    throw ProtocolException.conflict(user + " is already moving to " + home.movingTo());
                }
                if (home.region().equals(region)) {
                    return CompletableFuture.completedFuture(new HomeMove(user, region, region, home.epoch()));
                }
                return move(user, home, region);
            });
        });
    }

    private CompletableFuture<HomeMove> move(String user, StoredHome from, String to) {
        return calls.call(() -> parts.homeStore().markMoving(Kind.USER, user, from.epoch(), to)).thenCompose(marked -> {
            if (marked.isEmpty()) {
                throw ProtocolException.conflict("the home of " + user + " changed meanwhile; ask again");
            }
            log.info("re-homing {}: moving from {} to {}", user, from.region(), to);
            forgetEverywhere(Kind.USER, user);
            // the user's sessions reconnect and get the new epoch in hello; meanwhile their writes pause
            disconnect.apply(user, "home moving to " + to);
            // a node that reloaded the home before the mark reached its data centre may cache it
            // unmarked: tell every node again once the mark has surely replicated, then let any
            // copy cached before that expire
            return after(MARK_REPLICATED)
                    .thenRun(() -> forgetEverywhere(Kind.USER, user))
                    .thenCompose(told -> after(parts.homeCacheTtl()))
                    .thenCompose(waited -> calls.call(() -> parts.epochs().openEpoch(Kind.USER, user, from.epoch() + 1)))
                    .thenCompose(start -> {
                        log.info("re-homing {}: epoch {} starts at seq {}", user, from.epoch() + 1, start);
                        return calls.call(() -> parts.homeStore().move(Kind.USER, user, from.epoch(), to));
                    })
                    .thenCompose(moved -> {
                        StoredHome home = moved.orElseThrow(() -> ProtocolException.conflict(
                                "the home of " + user + " changed meanwhile; ask again"));
                        forgetEverywhere(Kind.USER, user);
                        log.info("re-homing {}: moved to {} at epoch {}; catching up", user, to, home.epoch());
                        return catchUp(user).thenApply(placed -> new HomeMove(user, from.region(), to, home.epoch()));
                    });
        });
    }

    private static CompletableFuture<Void> after(Duration delay) {
        return CompletableFuture.runAsync(() -> {
        }, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void forgetEverywhere(Kind kind, String id) {
        homes.forget(kind, id);
        for (String peer : parts.link().peers()) {
            if (!parts.states().isLost(peer)) {
                parts.link().to(peer).forgetHome(kind, id).whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.debug("region {} did not hear that {} moved: {}", peer, id, Failures.unwrap(failure).toString());
                    }
                });
            }
        }
    }

    /**
     * Places into a user's inbox, now written here, the newest entry of each of their conversations
     * and whatever the move left out before it. Completes with the number of conversations looked at.
     */
    CompletableFuture<Integer> catchUp(String user) {
        return calls.call(() -> parts.regionStore().conversationsOf(user)).thenCompose(conversations -> {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (String conversation : conversations) {
                chain = chain.thenCompose(done -> catchUp(user, conversation).exceptionally(failure -> {
                    log.warn("catch-up of {} in {} failed; the next message there fills it: {}", user, conversation,
                            Failures.unwrap(failure).toString());
                    return null;
                }));
            }
            return chain.thenApply(done -> conversations.size());
        });
    }

    private CompletableFuture<Void> catchUp(String user, String conversation) {
        return membership.members(ConversationId.parse(conversation)).thenCompose(members -> {
            if (!members.contains(user)) {
                return CompletableFuture.completedFuture(null);
            }
            return calls.call(() -> parts.epochs().readLog(conversation, Long.MAX_VALUE, 1)).thenCompose(newest -> {
                if (newest.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                LogEntry entry = newest.get(0);
                return repair.throughout(user, entry)
                        .thenCompose(repaired -> calls.call(() -> parts.epochs().appendToInbox(user, entry)))
                        .thenApply(seq -> null);
            });
        });
    }

    // ---- failover ----

    @Override
    public CompletionStage<FailoverReport> failover(String region) {
        return Failures.settle(() -> {
            requireKnown(region);
            String survivor = routing.localRegion();
            if (region.equals(survivor)) {
                throw ProtocolException.badRequest("a failover is declared by a surviving region, not by " + region);
            }
            long started = clock.millis();
            parts.states().markLost(region);
            return calls.call(() -> parts.regionStore().recordFailover(new RegionFailover(region, survivor, started, 0)))
                    .thenCompose(recorded -> calls.call(() -> parts.homeStore().homedIn(region)))
                    .thenCompose(homed -> moveAll(homed, region, survivor))
                    .whenComplete((moved, failure) -> {
                        if (failure != null) {
                            log.warn("failover of region {} stopped half way; declare it again to finish", region,
                                    Failures.unwrap(failure));
                        }
                    })
                    .thenApply(moved -> {
                        FailoverReport report = new FailoverReport(region, survivor, moved.users().size(),
                                moved.conversations(), clock.millis() - started);
                        log.info("failover of region {}: {}", region, report);
                        // users can send at once; what their new streams lack is filled behind
                        moved.users().forEach(user -> catchUp(user).exceptionally(failure -> 0));
                        return report;
                    });
        });
    }

    private record Moved(List<String> users, int conversations) {
    }

    private CompletableFuture<Moved> moveAll(List<HomedId> homed, String from, String to) {
        List<String> users = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger conversations = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(MOVES_IN_FLIGHT, homed.size()); i++) {
            workers.add(moveNext(homed, next, from, to, users, conversations));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Moved(List.copyOf(users), conversations.get()));
    }

    private CompletableFuture<Void> moveNext(List<HomedId> homed, AtomicInteger next, String from, String to,
                                             List<String> users, AtomicInteger conversations) {
        int index = next.getAndIncrement();
        if (index >= homed.size()) {
            return CompletableFuture.completedFuture(null);
        }
        HomedId id = homed.get(index);
        return failOverRetrying(id, from, to, 1).thenCompose(moved -> {
            if (moved) {
                if (id.kind() == Kind.USER) {
                    users.add(id.id());
                } else {
                    conversations.incrementAndGet();
                }
            }
            return moveNext(homed, next, from, to, users, conversations);
        });
    }

    /** Moves are idempotent (a retry finds the id moved, or the start recorded), so a storage hiccup is retried. */
    private CompletableFuture<Boolean> failOverRetrying(HomedId id, String from, String to, int attempt) {
        return failOver(id, from, to).handle((moved, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(moved);
            }
            if (attempt >= MOVE_ATTEMPTS || !(Failures.unwrap(failure) instanceof StorageUnavailableException)) {
                return CompletableFuture.<Boolean>failedFuture(failure);
            }
            return after(MOVE_RETRY).thenCompose(waited -> failOverRetrying(id, from, to, attempt + 1));
        }).thenCompose(Function.identity());
    }

    /** Moves one id from the lost region here under a new epoch; false when it was not homed there any more. */
    private CompletableFuture<Boolean> failOver(HomedId id, String from, String to) {
        return calls.call(() -> parts.homeStore().home(id.kind(), id.id())).thenCompose(found -> {
            if (found.isEmpty() || !found.get().region().equals(from)) {
                return CompletableFuture.completedFuture(false);
            }
            long epoch = found.get().epoch();
            return calls.call(() -> parts.epochs().openEpoch(id.kind(), id.id(), epoch + 1))
                    .thenCompose(start -> calls.call(() -> parts.homeStore().move(id.kind(), id.id(), epoch, to)))
                    .thenApply(moved -> {
                        forgetEverywhere(id.kind(), id.id());
                        return moved.isPresent();
                    });
        });
    }

    // ---- reconciliation ----

    @Override
    public CompletionStage<ReconcileReport> reconcile(String region) {
        return Failures.settle(() -> {
            requireKnown(region);
            if (!parts.states().isLost(region)) {
                throw ProtocolException.conflict("region " + region + " is not declared lost");
            }
            Tally tally = new Tally();
            // opening and closing a driver session block: on this node's own thread, never a caller's or the driver's
            return CompletableFuture.supplyAsync(() -> parts.datacenterOf().apply(region), timer).thenCompose(returning ->
                    calls.call(() -> parts.homeStore().homedIn(routing.localRegion()))
                            .thenCompose(homed -> reconcileAll(returning, homed.stream()
                                    .filter(id -> id.kind() == Kind.CONVERSATION && id.home().epoch() > 1).toList(), 0, tally))
                            .whenCompleteAsync((done, failure) -> returning.close(), timer))
                    .thenCompose(done -> calls.call(() -> parts.regionStore().recordFailover(
                            new RegionFailover(region, routing.localRegion(), clock.millis(), clock.millis()))))
                    .thenApply(done -> {
                        parts.states().markActive(region);
                        ReconcileReport report = tally.report(region);
                        log.info("reconciliation of region {}: {}", region, report);
                        return report;
                    })
                    .whenComplete((report, failure) -> {
                        if (failure != null) {
                            log.warn("reconciliation of region {} stopped half way; run it again", region,
                                    Failures.unwrap(failure));
                        }
                    });
        });
    }

    /** What reconciliation found so far. */
    private static final class Tally {
        final AtomicInteger orphans = new AtomicInteger();
        final AtomicInteger recovered = new AtomicInteger();
        final AtomicInteger alreadyPresent = new AtomicInteger();
        final List<String> unrecovered = Collections.synchronizedList(new ArrayList<>());

        ReconcileReport report(String region) {
            return new ReconcileReport(region, orphans.get(), recovered.get(), alreadyPresent.get(), unrecovered);
        }
    }

    private CompletableFuture<Void> reconcileAll(MessageStore returning, List<HomedId> conversations, int index,
                                                 Tally tally) {
        if (index == conversations.size()) {
            return CompletableFuture.completedFuture(null);
        }
        String conversation = conversations.get(index).id();
        return calls.call(() -> parts.epochs().chain(Kind.CONVERSATION, conversation))
                .thenCompose(chain -> reconcileSegments(returning, chain, 0, tally))
                .thenCompose(done -> reconcileAll(returning, conversations, index + 1, tally));
    }

    /** Every epoch before the current one: a home moved away from it, so rows beyond its range are orphans. */
    private CompletableFuture<Void> reconcileSegments(MessageStore returning, StreamChain chain, int index, Tally tally) {
        if (index >= chain.segments().size() - 1) {
            return CompletableFuture.completedFuture(null);
        }
        return reconcile(returning, chain.id(), chain.segments().get(index), tally)
                .thenCompose(done -> reconcileSegments(returning, chain, index + 1, tally));
    }

    /**
     * The orphans of one closed epoch of a conversation: rows of its stream beyond where the next
     * epoch starts, read in the returning region's own data centre, oldest first.
     */
    private CompletableFuture<Void> reconcile(MessageStore returning, String conversation, StreamChain.Segment segment,
                                              Tally tally) {
        long firstOrphan = segment.local(segment.end() + 1);
        return calls.call(() -> returning.readLog(segment.stream(), Long.MAX_VALUE, ORPHAN_PAGE)).thenCompose(newestFirst -> {
            List<LogEntry> orphans = new ArrayList<>(newestFirst.stream()
                    .filter(entry -> entry.convSeq() >= firstOrphan).toList());
            Collections.reverse(orphans);
            CompletableFuture<Void> chained = CompletableFuture.completedFuture(null);
            for (LogEntry orphan : orphans) {
                LogEntry asSent = new LogEntry(conversation, segment.global(orphan.convSeq()), orphan.from(), orphan.id(),
                        orphan.body(), orphan.format(), orphan.ts());
                chained = chained.thenCompose(done -> recover(asSent, segment.epoch(), tally));
            }
            return chained;
        });
    }

    /** Appends one orphan again in its conversation's new home, unless a retry already did. */
    private CompletableFuture<Void> recover(LogEntry orphan, long lostEpoch, Tally tally) {
        tally.orphans.incrementAndGet();
        String conversation = orphan.conversation();
        return calls.call(() -> parts.epochs().logEntryOf(conversation, orphan.from(), orphan.id())).thenCompose(found -> {
            if (found.isPresent()) {
                tally.alreadyPresent.incrementAndGet();
                return record(orphan, lostEpoch, found.get().convSeq());
            }
            Frame.Send send = new Frame.Send(null, orphan.id(), conversation, null, orphan.body(), orphan.format());
            return resend.apply(orphan.from(), send).toCompletableFuture()
                    .thenCompose(sent -> {
                        tally.recovered.incrementAndGet();
                        return record(orphan, lostEpoch, sent.convSeq());
                    })
                    .exceptionally(failure -> {
                        String why = conversation + " " + orphan.convSeq() + " from " + orphan.from() + " id "
                                + orphan.id() + ": " + Failures.toProtocol(failure).getMessage();
                        log.warn("could not recover {}", why);
                        tally.unrecovered.add(why);
                        return null;
                    });
        });
    }

    private CompletableFuture<Void> record(LogEntry orphan, long lostEpoch, long newConvSeq) {
        return calls.call(() -> parts.regionStore().recordRecovery(new RegionStore.Recovery(orphan.conversation(),
                lostEpoch, orphan.convSeq(), orphan.from(), orphan.id(), newConvSeq))).thenApply(recorded -> null);
    }

    private void requireKnown(String region) {
        if (region == null || !knownRegions().contains(region)) {
            throw ProtocolException.badRequest("unknown region '" + region + "'; known: " + knownRegions());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
