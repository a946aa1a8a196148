package dev.pigeon.router;

import dev.pigeon.homing.Home;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.region.Placement;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.router.region.RegionLink;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.RegionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Where each member of a conversation is written, and what this region owes the other regions
 * (docs/regions.md, "A send that crosses regions"): members homed here are placed here; for every
 * other region with members, the conversation is recorded in that region's outbox before
 * {@code sent}, and its entries are pushed there over the region link until the region says it
 * has placed them. Without a link (one region) every member is local and nothing is owed.
 */
final class RegionRouting {
    private static final Logger log = LoggerFactory.getLogger(RegionRouting.class);
    /** Entries one push carries at most. */
    static final int PUSH_PAGE = 100;
    /** Pushes that may follow one another to reach a region whose mark is far behind. */
    private static final int MAX_PUSH_ROUNDS = 50;
    private static final int REMEMBERED = 100_000;

    private final HomeDirectory homes;
    private final MessageStore store;
    private final StoreCalls calls;
    private final RegionLink link;
    private final RegionStore regionStore;
    private final RegionStates states;
    /** (user, conversation) pairs recorded in {@code user_conversations} by this node. */
    private final BoundedMap<String, Boolean> recordedConversations = new BoundedMap<>(REMEMBERED);
    /** The newest mark each region reported for a conversation, keyed region + conversation. */
    private final BoundedMap<String, Long> remoteMarks = new BoundedMap<>(REMEMBERED);

    /**
     * Members by where they are written; members whose home is moving are in neither (writes for
     * them pause; {@link MovedMemberRepair} fills in later). {@code moved} are the local members
     * whose home has moved at least once.
     */
    record MemberSplit(List<String> local, Set<String> moved, Map<String, List<String>> remote) {
    }

    private RegionRouting(HomeDirectory homes, MessageStore store, StoreCalls calls, RegionLink link,
                          RegionStore regionStore, RegionStates states) {
        this.homes = homes;
        this.store = store;
        this.calls = calls;
        this.link = link;
        this.regionStore = regionStore;
        this.states = states;
    }

    static RegionRouting oneRegion(HomeDirectory homes, MessageStore store, StoreCalls calls) {
        return new RegionRouting(homes, store, calls, null, null, RegionStates.none());
    }

    static RegionRouting regions(HomeDirectory homes, MessageStore store, StoreCalls calls, RegionLink link,
                                 RegionStore regionStore, RegionStates states) {
        return new RegionRouting(homes, store, calls, link, regionStore, states);
    }

    boolean multiRegion() {
        return link != null;
    }

    String localRegion() {
        return homes.localRegion();
    }

    RegionStates states() {
        return states;
    }

    /** The calls into {@code region}; {@code unavailable} when it is declared lost or there is no link. */
    RegionCalls to(String region) {
        if (link == null || !link.peers().contains(region)) {
            throw ProtocolException.unavailable("region " + region + " cannot be reached from here");
        }
        if (states.isLost(region)) {
            throw ProtocolException.unavailable("region " + region + " is declared lost");
        }
        return link.to(region);
    }

    /** Fails with {@code unavailable} unless {@code home} is here, not moving, and this region is not fenced. */
    void requireWritableHere(String what, Home home) {
        if (!homes.isLocal(home)) {
            throw ProtocolException.unavailable(what + " is homed in region " + home.region());
        }
        if (home.moving()) {
            throw ProtocolException.unavailable(what + " is moving to region " + home.movingTo() + "; try again");
        }
        if (states.isLost(localRegion())) {
            throw ProtocolException.unavailable("region " + localRegion() + " is declared lost; its homes moved");
        }
    }

    CompletableFuture<MemberSplit> split(List<String> members) {
        if (!multiRegion()) {
            return CompletableFuture.completedFuture(new MemberSplit(members, Set.of(), Map.of()));
        }
        List<CompletableFuture<Home>> lookups = members.stream()
                .map(member -> calls.call(() -> homes.homeOfUser(member))).toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> local = new ArrayList<>();
            Set<String> moved = new HashSet<>();
            Map<String, List<String>> remote = new LinkedHashMap<>();
            for (int i = 0; i < members.size(); i++) {
                Home home = lookups.get(i).join();
                if (home.moving()) {
                    continue;
                }
                if (homes.isLocal(home)) {
                    local.add(members.get(i));
                    if (home.epoch() > 1) {
                        moved.add(members.get(i));
                    }
                } else {
                    remote.computeIfAbsent(home.region(), region -> new ArrayList<>()).add(members.get(i));
                }
            }
            return new MemberSplit(local, moved, remote);
        });
    }

    /**
     * Records, before {@code sent}, what the entry needs elsewhere: the conversation among each
     * member's conversations (so a move of that member finds it), and the conversation in the
     * outbox of every other region with members. Completes with those regions.
     */
    CompletableFuture<Set<String>> owe(LogEntry entry, List<String> members) {
        if (!multiRegion()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        String conversation = entry.conversation();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (String member : members) {
            String key = member + '\n' + conversation;
            if (recordedConversations.get(key) == null) {
                writes.add(calls.call(() -> regionStore.addConversation(member, conversation))
                        .thenRun(() -> recordedConversations.put(key, Boolean.TRUE)));
            }
        }
        return split(members).thenCompose(split -> {
            Set<String> regions = new TreeSet<>(split.remote().keySet());
            regions.forEach(region -> writes.add(calls.call(() -> regionStore.recordOutbox(region, conversation,
                    entry.convSeq()))));
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> regions);
        });
    }

    /**
     * Sends {@code region} the conversation's entries after its mark up to {@code upTo}, reading
     * them from this data centre's log, until the region reports them placed; then clears the
     * outbox entry. Completes with the region's last answer. An entry this node already saw placed
     * there is not sent again.
     */
    CompletableFuture<Placement> push(String region, String conversation, long upTo) {
        Long known = remoteMarks.get(region + '\n' + conversation);
        if (known != null && known >= upTo) {
            return calls.call(() -> regionStore.clearOutbox(region, conversation, upTo))
                    .thenApply(cleared -> new Placement(known, Map.of()));
        }
        return pushThrough(region, conversation, upTo);
    }

    /**
     * As {@link #push}, always sending at least the entry {@code upTo}, so that the answer carries
     * the seq its sender has of it when the sender is homed in {@code region}.
     */
    CompletableFuture<Placement> placeForSender(String region, String conversation, long upTo) {
        return pushThrough(region, conversation, upTo);
    }

    private CompletableFuture<Placement> pushThrough(String region, String conversation, long upTo) {
        String key = region + '\n' + conversation;
        Long known = remoteMarks.get(key);
        long from = known == null ? upTo : Math.min(known + 1, upTo);
        return pushFrom(region, conversation, from, upTo, 1).thenCompose(placement -> {
            remoteMarks.merge(key, placement.mark(), Math::max);
            if (placement.mark() < upTo) {
                return CompletableFuture.completedFuture(placement);
            }
            return calls.call(() -> regionStore.clearOutbox(region, conversation, upTo)).thenApply(cleared -> placement);
        });
    }

    private CompletableFuture<Placement> pushFrom(String region, String conversation, long from, long upTo, int round) {
        long last = Math.min(upTo, from + PUSH_PAGE - 1);
        return calls.call(() -> store.readLog(conversation, last + 1, (int) (last - from + 1))).thenCompose(newestFirst -> {
            List<LogEntry> entries = new ArrayList<>(newestFirst);
            Collections.reverse(entries);
            if (entries.isEmpty() || entries.get(0).convSeq() != from) {
                throw ProtocolException.unavailable("entries " + from + ".." + last + " of " + conversation
                        + " are not in this data centre yet");
            }
            return calls.call(() -> to(region).place(conversation, entries)).thenCompose(placement -> {
                if (round >= MAX_PUSH_ROUNDS || placement.mark() >= upTo) {
                    return CompletableFuture.completedFuture(placement);
                }
                // the region lacks earlier entries (its mark is below what was sent), or there are more pages
                long next = placement.mark() + 1;
                log.debug("region {} has {} placed through {}; pushing from {}", region, conversation, placement.mark(), next);
                return pushFrom(region, conversation, next, upTo, round + 1);
            });
        });
    }

    /** Hands deliveries to every other region not declared lost; a failure only costs live delivery there. */
    void deliverElsewhere(List<Delivery> deliveries) {
        if (!multiRegion()) {
            return;
        }
        for (String region : link.peers()) {
            if (states.isLost(region)) {
                continue;
            }
            link.to(region).deliver(deliveries).whenComplete((done, failure) -> {
                if (failure != null) {
                    log.debug("live delivery to region {} failed ({}); its sessions catch up from the inbox", region,
                            Failures.unwrap(failure).toString());
                }
            });
        }
    }
}
