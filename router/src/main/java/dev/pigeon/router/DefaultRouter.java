package dev.pigeon.router;

import dev.pigeon.homing.Home;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.region.RegionAdmin;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;

/**
 * The router of one node: sends, reads and groups on behalf of authenticated users, and the live
 * sessions attached to this node. Built with {@link #builder()}; {@link #close()} detaches the node
 * from the bus and stops its heartbeat (the store, presence and bus stay open: their owner closes them).
 */
public final class DefaultRouter implements Router, Groups, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DefaultRouter.class);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_GROUP_CACHE_TTL = Duration.ofSeconds(10);

    private final FrameValidator validator;
    private final MessageStore store;
    private final HomeDirectory homes;
    private final StoreCalls calls;
    private final Membership membership;
    private final RouterLimits limits;
    private final ConversationSequencer sequencer;
    private final SendPipeline sends;
    private final GroupService groups;
    private final FanOut fanOut;
    private final LocalSessions sessions;
    private final AutoCloseable groupChanges;
    private final Counter receipts;
    private final RegionRouting routing;
    private final MovedMemberRepair repair;
    private final RegionParts regions;
    private final LocalRegionCalls regionCalls;
    private final RegionOperations regionOperations;
    private final Presence presenceOfAllRegions;

    private DefaultRouter(Builder builder) {
        this.validator = builder.validator;
        this.store = builder.store;
        this.homes = builder.homes;
        this.limits = builder.limits;
        this.calls = new StoreCalls(limits.storageTimeout());
        this.membership = new Membership(store, calls, builder.clock, builder.groupCacheTtl);
        this.groupChanges = builder.bus.subscribeGroupChanges(membership::forget);
        this.sessions = new LocalSessions(builder.nodeId, builder.presence, builder.bus, calls, builder.clock,
                builder.heartbeatInterval, builder.meterRegistry);
        this.regions = builder.regions;
        this.routing = regions == null
                ? RegionRouting.oneRegion(homes, store, calls)
                : RegionRouting.regions(homes, store, calls, regions.link(), regions.regionStore(), regions.states());
        this.fanOut = new FanOut(builder.presence, builder.bus, sessions, calls, builder.meterRegistry,
                routing::deliverElsewhere);
        this.repair = new MovedMemberRepair(store, calls, builder.clock);
        this.sequencer = new ConversationSequencer(store, calls, membership, routing, repair, ForkJoinPool.commonPool());
        this.sends = new SendPipeline(validator, homes, store, calls, membership, sequencer, routing,
                new UserRateLimiters(limits.sendsPerSecond(), builder.clock), fanOut, builder.clock,
                builder.meterRegistry);
        this.groups = new GroupService(store, calls, membership, builder.bus, limits.maxGroupMembers());
        this.receipts = Counter.builder("pigeon.router.receipts")
                .description("read markers that moved and were sent to the other members")
                .register(builder.meterRegistry);
        if (regions == null) {
            this.regionCalls = null;
            this.regionOperations = null;
            this.presenceOfAllRegions = builder.presence;
        } else {
            this.presenceOfAllRegions = new AllRegionsPresence(builder.presence, regions.link(), regions.states(), calls);
            this.regionCalls = new LocalRegionCalls(sends, sequencer, fanOut, this, homes, routing, builder.presence);
            this.regionOperations = new RegionOperations(regions, homes, routing, repair, membership, calls,
                    this::disconnect, sends::sendForwarded, builder.nodeId, builder.clock, builder.meterRegistry);
        }
    }

    /**
     * Presence as the admin API shows it: every region's sessions (this region's presence alone
     * when it is the only one). Sessions still register with this region's presence.
     */
    public Presence presenceOfAllRegions() {
        return presenceOfAllRegions;
    }

    /** What the other regions may ask of this one over the region link; empty with one region. */
    public Optional<RegionCalls> regionCalls() {
        return Optional.ofNullable(regionCalls);
    }

    /**
     * Learns from the other regions and from storage which regions are declared lost, this one
     * included: a node whose region was failed over must not write as a home. Call before serving.
     */
    public CompletionStage<Void> learnRegionStanding() {
        return regionOperations == null ? CompletableFuture.completedFuture(null) : regionOperations.learnStanding();
    }

    /** Region status, re-homing, failover and reconciliation for the admin API; empty with one region. */
    public Optional<RegionAdmin> regionAdmin() {
        return Optional.ofNullable(regionOperations);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<Frame.Sent> send(String user, Frame.Send send) {
        return sends.send(user, send);
    }

    /** {@code upTo} beyond the inbox head counts as the head. */
    @Override
    public CompletionStage<Void> ack(String user, String device, long upTo) {
        return ack(user, device, upTo, true);
    }

    /** An ack another region forwarded here, the user's home. */
    CompletionStage<Void> ackAtHome(String user, String device, long upTo) {
        return ack(user, device, upTo, false);
    }

    private CompletionStage<Void> ack(String user, String device, long upTo, boolean mayForward) {
        return Failures.settle(() -> {
            if (device == null || device.isEmpty()) {
                throw ProtocolException.badRequest("device is missing");
            }
            long requested = validator.ack(new Frame.Ack(null, upTo)).upTo();
            return userHome(user).thenCompose(home -> {
                if (mayForward && isAway(home)) {
                    return calls.call(() -> routing.to(home.region()).ack(user, device, requested));
                }
                routing.requireWritableHere(user, home);
                return calls.call(() -> store.inboxHead(user))
                        .thenCompose(head -> calls.call(() -> store.advanceDeliveredOffset(user, device, Math.min(requested, head))))
                        .thenApply(stored -> null);
            });
        });
    }

    /** {@code upTo} beyond the conversation's newest {@code conv_seq} counts as that. */
    @Override
    public CompletionStage<Void> read(String user, String conversation, long upTo) {
        return read(user, conversation, upTo, true);
    }

    /** A read marker another region forwarded here, the user's home. */
    CompletionStage<Void> readAtHome(String user, String conversation, long upTo) {
        return read(user, conversation, upTo, false);
    }

    private CompletionStage<Void> read(String user, String conversation, long upTo, boolean mayForward) {
        return Failures.settle(() -> {
            Frame.Read request = validator.read(new Frame.Read(null, conversation, upTo));
            ConversationId id = ConversationId.parse(request.conversation());
            return userHome(user).thenCompose(home -> {
                if (mayForward && isAway(home)) {
                    return calls.call(() -> routing.to(home.region()).read(user, id.value(), request.upTo()));
                }
                routing.requireWritableHere(user, home);
                return readHere(user, id, request.upTo());
            });
        });
    }

    private CompletableFuture<Void> readHere(String user, ConversationId id, long upTo) {
        return membership.requireMember(user, id)
                .thenCompose(members -> conversationHead(id)
                        .thenCompose(head -> advanceReadMarker(user, id, Math.min(upTo, head)))
                        .thenAccept(moved -> moved.ifPresent(marker ->
                                sendReceipt(user, members, new Frame.Receipt(id.value(), user, marker)))));
    }

    /** {@code since} beyond the head counts as the head: nothing is replayed. */
    @Override
    public CompletionStage<InboxPage> sync(String user, long since, int limit) {
        return Failures.settle(() -> {
            Frame.Sync request = validator.sync(new Frame.Sync(null, since, limit));
            int pageSize = pageSize(request.limit());
            return calls.call(() -> store.inboxHead(user)).thenCompose(head ->
                    calls.call(() -> store.readInbox(user, Math.min(request.since(), head), pageSize))
                            .thenCompose(entries -> placed(entries.stream().map(InboxEntry::entry).toList()).thenApply(done -> {
                                // entries appended after the head was read are included; the head covers them
                                long newest = entries.isEmpty() ? head : Math.max(head, entries.get(entries.size() - 1).seq());
                                return new InboxPage(entries, newest);
                            })));
        });
    }

    @Override
    public CompletionStage<Long> head(String user) {
        return Failures.settle(() -> calls.call(() -> store.inboxHead(user)));
    }

    @Override
    public CompletionStage<Frame.HistoryPage> history(String user, String conversation, Long before, int limit) {
        return Failures.settle(() -> {
            Frame.History request = validator.history(new Frame.History(null, conversation, before, limit));
            ConversationId id = ConversationId.parse(request.conversation());
            int pageSize = pageSize(request.limit());
            long beforeConvSeq = request.before() == null ? Long.MAX_VALUE : request.before();
            return membership.requireMember(user, id)
                    .thenCompose(members -> calls.call(() -> store.readLog(id.value(), beforeConvSeq, pageSize)))
                    .thenCompose(entries -> placed(entries).thenApply(done -> new Frame.HistoryPage(null, id.value(), entries)));
        });
    }

    @Override
    public CompletionStage<SessionRegistration> connect(SessionInfo session, DeliverySink sink) {
        Objects.requireNonNull(sink, "sink");
        return Failures.settle(() -> sessions.connect(session, sink));
    }

    @Override
    public CompletionStage<Void> disconnect(String user, String reason) {
        return Failures.settle(() -> fanOut.publish(List.of(user), u -> new Delivery.Disconnect(u, reason), "disconnect")
                .thenApply(count -> null));
    }

    @Override
    public CompletionStage<Group> create(String user, String group, List<String> members) {
        return groups.create(user, group, members);
    }

    @Override
    public CompletionStage<Group> get(String user, String group) {
        return groups.get(user, group);
    }

    @Override
    public CompletionStage<Group> addMember(String user, String group, String member) {
        return groups.addMember(user, group, member);
    }

    @Override
    public CompletionStage<Group> removeMember(String user, String group, String member) {
        return groups.removeMember(user, group, member);
    }

    @Override
    public void close() {
        if (regionOperations != null) {
            regionOperations.close();
        }
        sessions.close();
        try {
            groupChanges.close();
        } catch (Exception e) {
            log.warn("could not stop listening for group changes", e);
        }
    }

    /** Pushes the moved marker to the other members; like any fan-out, a failure (logged there) is not the reader's. */
    private void sendReceipt(String reader, List<String> members, Frame.Receipt receipt) {
        receipts.increment();
        List<String> others = members.stream().filter(member -> !member.equals(reader)).toList();
        fanOut.publish(others, member -> new Delivery.Receipt(member, receipt), "receipt");
    }

    /** The read marker now stored, when this call moved it. */
    private CompletableFuture<Optional<Long>> advanceReadMarker(String user, ConversationId conversation, long marker) {
        return calls.call(() -> store.readOffset(user, conversation.value()))
                .thenCompose(before -> calls.call(() -> store.advanceReadOffset(user, conversation.value(), marker))
                        .thenApply(after -> after > before ? Optional.of(after) : Optional.empty()));
    }

    private CompletableFuture<Home> userHome(String user) {
        return calls.call(() -> homes.homeOfUser(user));
    }

    /** A user's offsets are written only in their home region: from elsewhere they travel there. */
    private boolean isAway(Home home) {
        return !homes.isLocal(home) && routing.multiRegion();
    }

    /**
     * Completes once every entry is in all its members' inboxes: what a reader is shown, every member
     * has. Only this region places what its conversations' sends left unplaced; entries of
     * conversations homed elsewhere are shown as this data centre has them.
     */
    private CompletableFuture<Void> placed(List<LogEntry> entries) {
        Map<String, Long> newest = new HashMap<>();
        entries.forEach(entry -> newest.merge(entry.conversation(), entry.convSeq(), Math::max));
        return CompletableFuture.allOf(newest.entrySet().stream()
                .map(conversation -> calls.call(() -> homes.homeOfConversation(conversation.getKey()))
                        .thenCompose(home -> homes.isLocal(home) || !routing.multiRegion()
                                ? sequencer.placedThrough(conversation.getKey(), conversation.getValue())
                                : CompletableFuture.<Void>completedFuture(null)))
                .toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Long> conversationHead(ConversationId conversation) {
        return calls.call(() -> store.readLog(conversation.value(), Long.MAX_VALUE, 1))
                .thenApply(newest -> newest.isEmpty() ? 0L : newest.get(0).convSeq());
    }

    /** The validator holds the wire's page rule; the router's own cap bounds what one request reads. */
    private int pageSize(int validLimit) {
        return Math.min(validLimit, limits.maxPageSize());
    }

    /** Assembles a {@link DefaultRouter}; node id, store, homes, presence and bus are required. */
    public static final class Builder {
        private String nodeId;
        private MessageStore store;
        private FrameValidator validator = new FrameValidator();
        private HomeDirectory homes;
        private Presence presence;
        private NodeBus bus;
        private RouterLimits limits = RouterLimits.defaults();
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT;
        private Duration groupCacheTtl = DEFAULT_GROUP_CACHE_TTL;
        private RegionParts regions;

        private Builder() {
        }

        /** Makes this node one of several regions' (docs/regions.md); without it the node's region is the only one. */
        public Builder regions(RegionParts regions) {
            this.regions = regions;
            return this;
        }

        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Builder store(MessageStore store) {
            this.store = store;
            return this;
        }

        /** The frame rules, body limit included; {@code new FrameValidator()} when not given. */
        public Builder validator(FrameValidator validator) {
            this.validator = validator;
            return this;
        }

        public Builder homes(HomeDirectory homes) {
            this.homes = homes;
            return this;
        }

        public Builder presence(Presence presence) {
            this.presence = presence;
            return this;
        }

        public Builder bus(NodeBus bus) {
            this.bus = bus;
            return this;
        }

        public Builder limits(RouterLimits limits) {
            this.limits = limits;
            return this;
        }

        /** Where the router's meters go; a private registry when not given. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** The source of message timestamps and presence times. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How often the presence of this node's sessions is refreshed; keep it well under the presence TTL. */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /**
         * How long a group read from the store is trusted without reading it again. Changes drop it
         * at once on every node through the bus; this bounds how long a lost announcement goes
         * unseen. Zero reads every time.
         */
        public Builder groupCacheTtl(Duration groupCacheTtl) {
            this.groupCacheTtl = groupCacheTtl;
            return this;
        }

        public DefaultRouter build() {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(validator, "validator");
            Objects.requireNonNull(homes, "homes");
            Objects.requireNonNull(presence, "presence");
            Objects.requireNonNull(bus, "bus");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(clock, "clock");
            if (groupCacheTtl.isNegative()) {
                throw new IllegalArgumentException("group cache ttl must not be negative");
            }
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new IllegalArgumentException("heartbeat interval must be positive");
            }
            if (meterRegistry == null) {
                meterRegistry = new SimpleMeterRegistry();
            }
            return new DefaultRouter(this);
        }
    }
}
