package dev.pigeon.router;

import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.region.Placement;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.router.region.Standing;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.InboxEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This region's side of the region link: what the other regions' calls do here. Nothing is
 * forwarded on from here, so two regions that disagree about a home answer {@code unavailable}
 * instead of passing a call back and forth.
 */
final class LocalRegionCalls implements RegionCalls {
    private final SendPipeline sends;
    private final ConversationSequencer sequencer;
    private final FanOut fanOut;
    private final DefaultRouter router;
    private final HomeDirectory homes;
    private final RegionRouting routing;
    private final Presence presence;

    LocalRegionCalls(SendPipeline sends, ConversationSequencer sequencer, FanOut fanOut, DefaultRouter router,
                     HomeDirectory homes, RegionRouting routing, Presence presence) {
        this.sends = sends;
        this.sequencer = sequencer;
        this.fanOut = fanOut;
        this.router = router;
        this.homes = homes;
        this.routing = routing;
        this.presence = presence;
    }

    @Override
    public CompletionStage<Frame.Sent> send(String sender, Frame.Send send) {
        return sends.sendForwarded(sender, send);
    }

    @Override
    public CompletionStage<Placement> place(String conversation, List<LogEntry> entries) {
        return Failures.settle(() -> {
            if (entries.isEmpty()) {
                throw ProtocolException.badRequest("no entries to place");
            }
            ConversationId.parse(conversation);
            for (int i = 0; i < entries.size(); i++) {
                LogEntry entry = entries.get(i);
                if (!entry.conversation().equals(conversation) || entry.convSeq() != entries.get(0).convSeq() + i) {
                    throw ProtocolException.badRequest("entries must be of " + conversation + " and contiguous");
                }
            }
            long before = entries.get(0).convSeq() - 1;
            return sequencer.placePushed(conversation, entries).thenApply(placement -> {
                publishPlaced(entries, before, placement);
                return placement;
            });
        });
    }

    /** Hands the entries placed by this call to the sessions of their members, in this region and beyond. */
    private void publishPlaced(List<LogEntry> entries, long before, Placement placement) {
        LogEntry newest = entries.get(entries.size() - 1);
        if (placement.mark() < newest.convSeq() || newest.convSeq() <= before) {
            return;
        }
        Map<String, Long> seqs = placement.seqs();
        fanOut.publish(List.copyOf(seqs.keySet()),
                member -> new Delivery.Message(member, new InboxEntry(seqs.get(member), newest)), "message");
    }

    @Override
    public CompletionStage<Void> deliver(List<Delivery> deliveries) {
        return Failures.settle(() -> {
            // one presence lookup per run of distinct users: a message's deliveries are one per member
            List<CompletableFuture<Integer>> published = new ArrayList<>();
            Map<String, Delivery> batch = new LinkedHashMap<>();
            for (Delivery delivery : deliveries) {
                if (batch.containsKey(delivery.user())) {
                    published.add(publishInRegion(batch));
                    batch = new LinkedHashMap<>();
                }
                batch.put(delivery.user(), delivery);
            }
            if (!batch.isEmpty()) {
                published.add(publishInRegion(batch));
            }
            return CompletableFuture.allOf(published.toArray(CompletableFuture[]::new));
        });
    }

    private CompletableFuture<Integer> publishInRegion(Map<String, Delivery> byUser) {
        return fanOut.publishInRegion(List.copyOf(byUser.keySet()), byUser::get, "region");
    }

    @Override
    public CompletionStage<Void> ack(String user, String device, long upTo) {
        return router.ackAtHome(user, device, upTo);
    }

    @Override
    public CompletionStage<Void> read(String user, String conversation, long upTo) {
        return router.readAtHome(user, conversation, upTo);
    }

    @Override
    public CompletionStage<Void> forgetHome(HomeStore.Kind kind, String id) {
        homes.forget(kind, id);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Map<String, List<SessionInfo>>> sessions(List<String> users) {
        return presence.sessions(users);
    }

    @Override
    public CompletionStage<PresenceStats> stats() {
        return presence.stats();
    }

    @Override
    public CompletionStage<Standing> standing() {
        return presence.stats().thenApply(stats ->
                new Standing(routing.localRegion(), routing.states().lostRegions(), List.copyOf(stats.byNode().keySet())));
    }
}
