package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.RegionStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link MessageStore} and {@link HomeStore} in Cassandra, for cluster and multi-region modes. Open it with
 * {@link #connect(CassandraStoreOptions)}, which creates the keyspace if needed and applies the
 * schema migrations not yet applied.
 *
 * <h2>Tables</h2>
 * {@code conversation_log ((conversation, bucket), conv_seq)} and {@code inbox ((user, bucket), seq)}
 * hold full entries (sync is one slice per bucket); {@code bucket = position / 10000} bounds every
 * partition and tells a range read which partitions to read. {@code log_ids ((conversation, sender,
 * client_id)) -> conv_seq} and {@code inbox_ids ((user, conversation, conv_seq)) -> seq} index
 * entries by natural key; {@code heads ((stream, id)) -> head} holds head hints;
 * {@code send_claims ((sender, client_id))} expire after a TTL; {@code read_offsets ((user),
 * conversation)}, {@code delivered_offsets ((user), device)}, {@code groups ((name))} with a member
 * set, and {@code homes ((kind, id)) -> region, epoch} for region homing of users and conversations
 * ({@code user_home} of the first schema is superseded by it and unused), with {@code moving_to}
 * during a planned move, {@code stream_starts ((kind, id), epoch) -> start} and the index
 * {@code homes_by_region ((region), kind, id)}. Log and inbox rows carry the {@code home_epoch}
 * under which they were written (1 until homes move). What regions keep about each other
 * ({@code region_beats}, {@code region_outbox}, {@code user_conversations}, {@code region_failovers},
 * {@code recoveries}) is reached through {@link #regions()}.
 *
 * <h2>Positions: contiguous, unique and idempotent without any counter</h2>
 * No counter in Redis or in memory is trusted: a counter that restarts behind can hand out a
 * position again and overwrite a message. Each position is a slot claimed in Cassandra itself by a
 * lightweight transaction, {@code INSERT ... IF NOT EXISTS} at head + 1, so a slot is written once
 * and never overwritten, whoever crashes or restarts. An append of entry E with natural key K:
 * <ol>
 *   <li>Find the head. The hint names a bucket to start from; it is never ahead of the head and
 *       may be behind it. Read the highest slot of that bucket at SERIAL (or LOCAL_SERIAL)
 *       consistency, which also completes any Paxos round in progress on the partition, moving to
 *       the next bucket while the one read is full. Slots are contiguous (slot n + 1 is only ever
 *       claimed by a writer that saw slot n), so the highest slot is the head: one read, not a
 *       probe per slot.</li>
 *   <li>If the head slot holds K, return it. Otherwise write the index row of the head slot (a
 *       plain, idempotent insert) and, at the same time, look K up in the index: found, return the
 *       slot it names.</li>
 *   <li>Claim head + 1 for E. Won: done (the next appender indexes it). Lost: another writer took
 *       it, so start again from step 1 at that slot.</li>
 * </ol>
 * <b>Invariant:</b> every slot but the head has its index row, because whoever claims slot n + 1
 * has first written (and had acknowledged) the index row of slot n. Only the head may lack it.
 * <b>Idempotency:</b> a writer that claims n + 1 for K has compared K with slot n and looked K up
 * after slots 1 to n − 1 were indexed, so K is in none of them. A retry after a crash or timeout
 * at any point (before the claim, between claim and answer, or after) finds its entry: in the
 * index, or as the head. A claim whose outcome was unknown and that lands later cannot duplicate
 * either: it names a fixed slot, which is then either still free (and no copy of K exists) or
 * taken (and the claim fails). Two concurrent appends of the same K: one wins the slot, the other
 * loses its claim, reads the head again, finds K there and returns the same position.
 *
 * <p>Writes that correctness does not need are left out: an entry's own index row is written by
 * the appender after it (a retry finds an unindexed entry as the head), and the hint is written
 * only when an append enters a bucket past the hint's. Within one process, writes to a partition
 * take turns ({@link PartitionLanes}): the process's own appenders never contend for a slot, and
 * a busy partition starts from the head the previous append left instead of reading the hint.
 * Across processes the claims decide. An uncontended append costs four round trips: the hint
 * read (skipped on a busy partition), the SERIAL head read, the index repair together with the
 * lookup, and the claim; two of them are Paxos rounds.
 *
 * <h2>Other writes</h2>
 * Send claims are one {@code INSERT IF NOT EXISTS USING TTL}, which returns the earlier claim when
 * it loses. Offsets only move forward: {@code UPDATE ... IF offset < ?}, and {@code INSERT IF NOT
 * EXISTS} for the first marker. Groups are created with {@code IF NOT EXISTS}; members are added
 * and removed as set updates guarded by {@code IF EXISTS}. Fan-out marks move forward without a
 * transaction: each write's timestamp is the mark it sets ({@link FanOutMarks}). Homes are claimed
 * with {@code INSERT IF NOT EXISTS} at epoch 1, marked moving with {@code UPDATE ... IF epoch = ? AND
 * moving_to = null} and moved with {@code UPDATE ... IF epoch = ?} ({@link HomeTable}); stream
 * starts and recoveries are {@code INSERT IF NOT EXISTS}. Outbox entries rise and are cleared by
 * write timestamp, like the fan-out marks ({@link CassandraRegionStore}).
 *
 * <h2>Calls</h2>
 * Every call uses the driver's asynchronous API with prepared statements and never blocks the
 * caller; stages complete on the driver's threads, so continuations must not block. At most
 * {@link CassandraStoreOptions#maxInFlight()} calls, counting those of {@link #regions()}, are in
 * progress at once: one more fails at
 * once with {@link StorageUnavailableException} rather than queueing. Unreachable nodes, timeouts,
 * unavailable replicas, overload and a closed session fail the call with
 * {@link StorageUnavailableException}; every call is idempotent or monotonic, so it may be retried.
 * Text that is not valid Unicode is refused with {@link IllegalArgumentException}.
 */
public final class CassandraMessageStore implements MessageStore, HomeStore {
    private static final Logger log = LoggerFactory.getLogger(CassandraMessageStore.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final CqlSession session;
    private final ExecutorService laneExecutor;
    private final Sequence conversationLog;
    private final Sequence inbox;
    private final ClaimTable claims;
    private final Offsets readOffsets;
    private final Offsets deliveredOffsets;
    private final GroupTable groups;
    private final FanOutMarks fanOutMarks;
    private final HomeTable homes;
    private final RegionStore regions;
    private final Calls calls;

    private CassandraMessageStore(CqlSession session, ExecutorService laneExecutor, Tables tables, Calls calls) {
        this.session = session;
        this.laneExecutor = laneExecutor;
        this.conversationLog = tables.conversationLog();
        this.inbox = tables.inbox();
        this.claims = tables.claims();
        this.readOffsets = tables.readOffsets();
        this.deliveredOffsets = tables.deliveredOffsets();
        this.groups = tables.groups();
        this.fanOutMarks = tables.fanOutMarks();
        this.homes = tables.homes();
        this.calls = calls;
        this.regions = tables.regions();
    }

    private record Tables(Sequence conversationLog, Sequence inbox, ClaimTable claims, Offsets readOffsets,
                          Offsets deliveredOffsets, GroupTable groups, FanOutMarks fanOutMarks, HomeTable homes,
                          CassandraRegionStore regions) {
    }

    /**
     * Connects, creates the keyspace if missing, applies pending schema migrations and prepares
     * every statement. Blocks until done: call it at start.
     *
     * @throws StorageUnavailableException when Cassandra cannot be reached or does not answer
     */
    public static CassandraMessageStore connect(CassandraStoreOptions options) {
        String where = "Cassandra at " + options.contactPoints() + " (keyspace " + options.keyspace() + ")";
        try {
            try (CqlSession bootstrap = session(options, false)) {
                SchemaMigrations.createKeyspace(bootstrap, options);
            }
            CqlSession session = session(options, true);
            try {
                new SchemaMigrations(session, options.schemaTimeout()).apply();
                ExecutorService laneExecutor = laneExecutor();
                Calls calls = new Calls(options.maxInFlight());
                Tables tables = prepare(session, options, laneExecutor, calls);
                log.info("Connected to {}", where);
                return new CassandraMessageStore(session, laneExecutor, tables, calls);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (RuntimeException e) {
            Throwable failure = Failures.translate("connecting to " + where, e);
            throw failure instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** What the regions keep about each other, in this store's keyspace and under its limits. */
    public RegionStore regions() {
        return regions;
    }

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return call("claimSend", () -> {
            ValidText.check("sender", claim.sender());
            ValidText.check("clientId", claim.clientId());
            ValidText.check("conversation", claim.conversation());
            ValidText.check("bodyDigest", claim.bodyDigest());
            return claims.claim(claim);
        });
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        return call("appendToLog", () -> conversationLog.append(draft.conversation(), checked(new LogEntry(
                        draft.conversation(), 0, draft.from(), draft.id(), draft.body(), draft.format(), draft.ts())))
                .thenApply(Sequence.Slot::entry));
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        return call("appendToInbox", () -> inbox.append(ValidText.check("user", user), checked(entry))
                .thenApply(Sequence.Slot::position));
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return call("logEntryOf", () -> conversationLog.find(conversation, checked(new LogEntry(conversation, 0, from, id,
                "", null, 0))).thenApply(found -> found.map(Sequence.Slot::entry)));
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return call("inboxSeqOf", () -> inbox.find(ValidText.check("user", user), checked(new LogEntry(conversation,
                convSeq, "-", "-", "", null, 0))).thenApply(found -> found.map(Sequence.Slot::position)));
    }

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return call("readInbox", () -> inbox.readAfter(ValidText.check("user", user), afterSeq, checkLimit(limit))
                .thenApply(slots -> slots.stream().map(slot -> new InboxEntry(slot.position(), slot.entry())).toList()));
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return call("inboxHead", () -> inbox.head(ValidText.check("user", user)));
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return call("readLog", () -> conversationLog.readBefore(ValidText.check("conversation", conversation), beforeConvSeq, checkLimit(limit))
                .thenApply(slots -> slots.stream().map(Sequence.Slot::entry).toList()));
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return call("advanceReadOffset", () -> readOffsets.advance(ValidText.check("user", user),
                ValidText.check("conversation", conversation), upTo));
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return call("readOffset", () -> readOffsets.get(ValidText.check("user", user),
                ValidText.check("conversation", conversation)));
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return call("advanceDeliveredOffset", () -> deliveredOffsets.advance(ValidText.check("user", user),
                ValidText.check("device", device), upTo));
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return call("deliveredOffset", () -> deliveredOffsets.get(ValidText.check("user", user),
                ValidText.check("device", device)));
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return call("fanOutMark", () -> fanOutMarks.get(ValidText.check("conversation", conversation)));
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return call("advanceFanOutMark", () -> fanOutMarks.advance(ValidText.check("conversation", conversation),
                convSeq));
    }

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return call("createGroup", () -> {
            ValidText.check("group", group.name());
            group.members().forEach(member -> ValidText.check("member", member));
            return groups.create(group);
        });
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return call("group", () -> groups.get(ValidText.check("group", name)));
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return call("addMember", () -> groups.add(ValidText.check("group", group), ValidText.check("user", user)));
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return call("removeMember", () -> groups.remove(ValidText.check("group", group), ValidText.check("user", user)));
    }

    @Override
    public CompletionStage<Optional<StoredHome>> home(Kind kind, String id) {
        return call("home", () -> homes.get(kind, ValidText.check("id", id)));
    }

    @Override
    public CompletionStage<StoredHome> claimIfAbsent(Kind kind, String id, String region) {
        return call("claimHome", () -> homes.claim(kind, ValidText.check("id", id), ValidText.check("region", region)));
    }

    @Override
    public CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
        return call("moveHome", () -> homes.move(kind, ValidText.check("id", id), expectedEpoch,
                ValidText.check("region", newRegion)));
    }

    @Override
    public CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion) {
        return call("markMoving", () -> homes.markMoving(kind, ValidText.check("id", id), expectedEpoch,
                ValidText.check("region", toRegion)));
    }

    @Override
    public CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart) {
        return call("recordStreamStart", () -> homes.recordStreamStart(kind, ValidText.check("id", id), epoch,
                proposedStart));
    }

    @Override
    public CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id) {
        return call("streamStarts", () -> homes.streamStarts(kind, ValidText.check("id", id)));
    }

    @Override
    public CompletionStage<List<HomedId>> homedIn(String region) {
        return call("homedIn", () -> homes.homedIn(ValidText.check("region", region)));
    }

    /** Stops taking calls, waits (up to 30 s) for those in progress, then closes the session. */
    @Override
    public void close() {
        if (!calls.stop()) {
            return;
        }
        if (!calls.drain(DRAIN_TIMEOUT)) {
            log.warn("Closing the Cassandra store with calls still in progress after {}", DRAIN_TIMEOUT);
        }
        session.close();
        laneExecutor.shutdown();
        log.info("Closed the Cassandra store");
    }

    private <T> CompletionStage<T> call(String operation, Supplier<CompletionStage<T>> work) {
        return calls.call(operation, work);
    }

    private static LogEntry checked(LogEntry entry) {
        ValidText.check("conversation", entry.conversation());
        ValidText.check("from", entry.from());
        ValidText.check("id", entry.id());
        ValidText.check("body", entry.body());
        ValidText.checkOptional("format", entry.format());
        return entry;
    }

    private static int checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return limit;
    }

    private static Tables prepare(CqlSession session, CassandraStoreOptions options, ExecutorService laneExecutor,
                                  Calls calls) {
        CompletableFuture<Sequence> conversationLog = Sequence.prepare(session, SequenceLayout.LOG,
                options.serialConsistency(), laneExecutor).toCompletableFuture();
        CompletableFuture<Sequence> inbox = Sequence.prepare(session, SequenceLayout.INBOX,
                options.serialConsistency(), laneExecutor).toCompletableFuture();
        CompletableFuture<ClaimTable> claims = ClaimTable.prepare(session, new PartitionLanes(laneExecutor),
                options.sendClaimTtl()).toCompletableFuture();
        CompletableFuture<Offsets> read = Offsets.prepare(session, new PartitionLanes(laneExecutor),
                "read_offsets", "conversation").toCompletableFuture();
        CompletableFuture<Offsets> delivered = Offsets.prepare(session, new PartitionLanes(laneExecutor),
                "delivered_offsets", "device").toCompletableFuture();
        CompletableFuture<GroupTable> groups = GroupTable.prepare(session, new PartitionLanes(laneExecutor))
                .toCompletableFuture();
        CompletableFuture<FanOutMarks> fanOutMarks = FanOutMarks.prepare(session).toCompletableFuture();
        CompletableFuture<HomeTable> homes = HomeTable.prepare(session, options.serialConsistency()).toCompletableFuture();
        CompletableFuture<CassandraRegionStore> regions = CassandraRegionStore.prepare(session, calls)
                .toCompletableFuture();
        return new Tables(conversationLog.join(), inbox.join(), claims.join(), read.join(), delivered.join(),
                groups.join(), fanOutMarks.join(), homes.join(), regions.join());
    }

    /** A session owns (and closes) its config loader, so each gets its own. */
    private static CqlSession session(CassandraStoreOptions options, boolean inKeyspace) {
        var builder = CqlSession.builder()
                .addContactPoints(options.contactPoints())
                .withLocalDatacenter(options.localDatacenter())
                .withConfigLoader(driverConfig(options));
        return (inKeyspace ? builder.withKeyspace(options.keyspace()) : builder).build();
    }

    private static final Duration RECONNECTION_BASE_DELAY = Duration.ofMillis(250);
    private static final Duration RECONNECTION_MAX_DELAY = Duration.ofSeconds(4);

    private static DriverConfigLoader driverConfig(CassandraStoreOptions options) {
        return DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, options.requestTimeout())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, options.consistency().name())
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, options.serialConsistency().name())
                // Each schema change otherwise waits out a 1 s debounce before the next can run.
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, options.schemaTimeout())
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, options.schemaTimeout())
                // A data centre that comes back is used within seconds: the driver otherwise backs off
                // to a minute between tries, which a failover waiting for its own data centre pays in full.
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, RECONNECTION_BASE_DELAY)
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, RECONNECTION_MAX_DELAY)
                // Closing a session otherwise idles for 2 s per thread group.
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
    }

    /** One thread that only starts the next queued write of a partition; it ends when idle. */
    private static ExecutorService laneExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                work -> {
                    Thread thread = new Thread(work, "pigeon-cassandra-lanes");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
