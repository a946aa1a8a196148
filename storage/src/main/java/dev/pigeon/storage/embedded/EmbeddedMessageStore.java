package dev.pigeon.storage.embedded;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

import static dev.pigeon.storage.embedded.LockedRecords.Change;

/**
 * A {@link MessageStore} and {@link HomeStore} in a local RocksDB directory: durable across
 * restarts of the process, for the single-node mode. One process at a time may open a directory.
 *
 * <p>Every operation runs on the store's own threads and its stage completes there. After
 * {@link #close()} every call fails with {@link StorageUnavailableException}.
 */
public final class EmbeddedMessageStore implements MessageStore, HomeStore {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMessageStore.class);
    /** Lock stripes per sequenced table, and partition heads cached per stripe (65,536 in all). */
    private static final int SEQUENCE_STRIPES = 1024;
    private static final int HEADS_PER_STRIPE = 64;

    private final Path dir;
    private final Database database;
    private final StoreExecutor executor;
    private final SequencedTable conversationLog;
    private final SequencedTable inbox;
    private final LockedRecords records;

    private EmbeddedMessageStore(Path dir, Database database, EmbeddedStoreOptions options) {
        this.dir = dir;
        this.database = database;
        this.executor = new StoreExecutor(options);
        this.conversationLog = new SequencedTable(database, Table.LOG, Table.LOG_INDEX,
                new Stripes(SEQUENCE_STRIPES, HEADS_PER_STRIPE));
        this.inbox = new SequencedTable(database, Table.INBOX, Table.INBOX_INDEX,
                new Stripes(SEQUENCE_STRIPES, HEADS_PER_STRIPE));
        this.records = new LockedRecords(database);
    }

    /**
     * Opens the store in {@code dir}, creating it if needed.
     *
     * @throws StorageUnavailableException when the directory cannot be opened: held by another
     *                                     store, not a directory, corrupt or of an unknown format
     */
    public static EmbeddedMessageStore open(Path dir, EmbeddedStoreOptions options) {
        Database database = Database.open(dir, options.syncWrites());
        log.info("Opened embedded store at {} (syncWrites={}, threads={})", dir, options.syncWrites(),
                options.executorThreads());
        return new EmbeddedMessageStore(dir, database, options);
    }

    @Override
    public CompletionStage<SendClaim> claimSend(SendClaim claim) {
        return executor.submit("claimSend", () -> records.update(Table.SEND_CLAIMS,
                Key.of(claim.sender()).then(claim.clientId()).bytes(),
                stored -> stored == null
                        ? Change.write(Values.claim(claim), claim)
                        : Change.keep(Values.claim(claim.sender(), claim.clientId(), stored))));
    }

    @Override
    public CompletionStage<LogEntry> appendToLog(MessageDraft draft) {
        return executor.submit("appendToLog", () -> {
            byte[] partition = Key.of(draft.conversation()).bytes();
            byte[] naturalKey = Key.of(draft.conversation()).then(draft.from()).then(draft.id()).bytes();
            SequencedTable.Positioned appended = conversationLog.append(partition, naturalKey,
                    convSeq -> Values.entry(new LogEntry(draft.conversation(), convSeq, draft.from(), draft.id(),
                            draft.body(), draft.format(), draft.ts())));
            return Values.entry(appended.value());
        });
    }

    @Override
    public CompletionStage<Long> appendToInbox(String user, LogEntry entry) {
        return executor.submit("appendToInbox", () -> {
            byte[] naturalKey = Key.of(user).then(entry.conversation()).then(entry.convSeq()).bytes();
            byte[] value = Values.entry(entry);
            return inbox.append(Key.of(user).bytes(), naturalKey, seq -> value).position();
        });
    }

    @Override
    public CompletionStage<Optional<LogEntry>> logEntryOf(String conversation, String from, String id) {
        return executor.submit("logEntryOf", () -> Optional.ofNullable(conversationLog.find(Key.of(conversation).bytes(),
                Key.of(conversation).then(from).then(id).bytes())).map(found -> Values.entry(found.value())));
    }

    @Override
    public CompletionStage<Optional<Long>> inboxSeqOf(String user, String conversation, long convSeq) {
        return executor.submit("inboxSeqOf", () -> Optional.ofNullable(inbox.find(Key.of(user).bytes(),
                Key.of(user).then(conversation).then(convSeq).bytes())).map(SequencedTable.Positioned::position));
    }

    @Override
    public CompletionStage<List<InboxEntry>> readInbox(String user, long afterSeq, int limit) {
        return executor.submit("readInbox", () -> {
            List<InboxEntry> entries = new ArrayList<>();
            for (SequencedTable.Positioned p : inbox.readAfter(Key.of(user).bytes(), afterSeq, checkLimit(limit))) {
                entries.add(new InboxEntry(p.position(), Values.entry(p.value())));
            }
            return entries;
        });
    }

    @Override
    public CompletionStage<Long> inboxHead(String user) {
        return executor.submit("inboxHead", () -> inbox.head(Key.of(user).bytes()));
    }

    @Override
    public CompletionStage<List<LogEntry>> readLog(String conversation, long beforeConvSeq, int limit) {
        return executor.submit("readLog", () -> {
            List<LogEntry> entries = new ArrayList<>();
            byte[] partition = Key.of(conversation).bytes();
            for (SequencedTable.Positioned p : conversationLog.readBefore(partition, beforeConvSeq, checkLimit(limit))) {
                entries.add(Values.entry(p.value()));
            }
            return entries;
        });
    }

    @Override
    public CompletionStage<Long> advanceReadOffset(String user, String conversation, long upTo) {
        return advance("advanceReadOffset", Table.READ_OFFSETS, Key.of(user).then(conversation), upTo);
    }

    @Override
    public CompletionStage<Long> readOffset(String user, String conversation) {
        return offset("readOffset", Table.READ_OFFSETS, Key.of(user).then(conversation));
    }

    @Override
    public CompletionStage<Long> advanceDeliveredOffset(String user, String device, long upTo) {
        return advance("advanceDeliveredOffset", Table.DELIVERED_OFFSETS, Key.of(user).then(device), upTo);
    }

    @Override
    public CompletionStage<Long> deliveredOffset(String user, String device) {
        return offset("deliveredOffset", Table.DELIVERED_OFFSETS, Key.of(user).then(device));
    }

    @Override
    public CompletionStage<Long> fanOutMark(String conversation) {
        return offset("fanOutMark", Table.FAN_OUT_MARKS, Key.of(conversation));
    }

    @Override
    public CompletionStage<Void> advanceFanOutMark(String conversation, long convSeq) {
        return advance("advanceFanOutMark", Table.FAN_OUT_MARKS, Key.of(conversation), convSeq)
                .thenApply(mark -> null);
    }

    @Override
    public CompletionStage<Boolean> createGroup(Group group) {
        return executor.submit("createGroup", () -> records.update(Table.GROUPS, Key.of(group.name()).bytes(),
                stored -> stored == null ? Change.write(Values.members(group), true) : Change.keep(false)));
    }

    @Override
    public CompletionStage<Optional<Group>> group(String name) {
        return executor.submit("group", () -> Optional.ofNullable(records.get(Table.GROUPS, Key.of(name).bytes()))
                .map(stored -> Values.group(name, stored)));
    }

    @Override
    public CompletionStage<Optional<Group>> addMember(String group, String user) {
        return changeMembers("addMember", group, members -> {
            List<String> changed = new ArrayList<>(members);
            changed.add(user);
            return changed;
        });
    }

    @Override
    public CompletionStage<Optional<Group>> removeMember(String group, String user) {
        return changeMembers("removeMember", group, members -> {
            List<String> changed = new ArrayList<>(members);
            changed.remove(user);
            return changed;
        });
    }

    @Override
    public CompletionStage<Optional<StoredHome>> home(Kind kind, String id) {
        return executor.submit("home", () -> home(new HomeKey(kind, id)));
    }

    @Override
    public CompletionStage<StoredHome> claimIfAbsent(Kind kind, String id, String region) {
        HomeKey key = new HomeKey(kind, id);
        return executor.submit("claimHome", () -> {
            StoredHome claimed = new StoredHome(region, 1);
            return records.update(Table.HOMES, key.bytes(), stored -> stored == null
                    ? Change.write(Values.home(claimed), claimed)
                            .with(Table.HOMES_BY_REGION, key.in(region), Values.homeKey(key))
                    : Change.keep(Values.home(stored)));
        });
    }

    /** The move and both rows of the region index go in one batch, so the index never misses a home. */
    @Override
    public CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
        HomeKey key = new HomeKey(kind, id);
        return executor.submit("moveHome", () -> records.update(Table.HOMES, key.bytes(), stored -> {
            StoredHome current = stored == null ? null : Values.home(stored);
            if (current == null || current.epoch() != expectedEpoch) {
                return Change.keep(Optional.<StoredHome>empty());
            }
            StoredHome moved = new StoredHome(newRegion, expectedEpoch + 1);
            Change<Optional<StoredHome>> change = Change.write(Values.home(moved), Optional.of(moved))
                    .with(Table.HOMES_BY_REGION, key.in(newRegion), Values.homeKey(key));
            return current.region().equals(newRegion)
                    ? change
                    : change.with(Table.HOMES_BY_REGION, key.in(current.region()), null);
        }));
    }

    @Override
    public CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion) {
        HomeKey key = new HomeKey(kind, id);
        return executor.submit("markMoving", () -> {
            Objects.requireNonNull(toRegion, "toRegion");
            return records.update(Table.HOMES, key.bytes(), stored -> {
                StoredHome current = stored == null ? null : Values.home(stored);
                if (current == null || current.epoch() != expectedEpoch || current.moving()) {
                    return Change.keep(Optional.<StoredHome>empty());
                }
                StoredHome marked = new StoredHome(current.region(), current.epoch(), toRegion);
                return Change.write(Values.home(marked), Optional.of(marked));
            });
        });
    }

    @Override
    public CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart) {
        HomeKey key = new HomeKey(kind, id);
        return executor.submit("recordStreamStart", () -> {
            StreamStart proposed = new StreamStart(epoch, proposedStart);
            return records.update(Table.STREAM_STARTS, key.key().then(epoch).bytes(), stored -> stored == null
                    ? Change.write(Key.encodePosition(proposed.start()), proposed.start())
                    : Change.keep(Key.decodePosition(stored)));
        });
    }

    @Override
    public CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id) {
        HomeKey key = new HomeKey(kind, id);
        return executor.submit("streamStarts", () -> {
            byte[] prefix = key.bytes();
            List<StreamStart> starts = new ArrayList<>();
            for (Database.Record record : database.withPrefix(Table.STREAM_STARTS, prefix)) {
                if (Key.isPositionIn(record.key(), prefix)) {
                    starts.add(new StreamStart(Key.positionOf(record.key()), Key.decodePosition(record.value())));
                }
            }
            return starts;
        });
    }

    @Override
    public CompletionStage<List<HomedId>> homedIn(String region) {
        return executor.submit("homedIn", () -> {
            List<HomedId> homed = new ArrayList<>();
            for (Database.Record record : database.withPrefix(Table.HOMES_BY_REGION, Key.of(region).bytes())) {
                HomeKey key = Values.homeKey(record.value());
                home(key).filter(home -> home.region().equals(region))
                        .ifPresent(home -> homed.add(new HomedId(key.kind(), key.id(), home)));
            }
            return homed;
        });
    }

    @Override
    public void close() {
        executor.close(() -> {
            database.close();
            log.info("Closed embedded store at {}", dir);
        });
    }

    private CompletionStage<Long> advance(String name, Table table, Key key, long upTo) {
        return executor.submit(name, () -> records.update(table, key.bytes(), stored -> {
            long current = stored == null ? 0 : Key.decodePosition(stored);
            return upTo > current ? Change.write(Key.encodePosition(upTo), upTo) : Change.keep(current);
        }));
    }

    private CompletionStage<Long> offset(String name, Table table, Key key) {
        return executor.submit(name, () -> {
            byte[] stored = records.get(table, key.bytes());
            return stored == null ? 0L : Key.decodePosition(stored);
        });
    }

    private CompletionStage<Optional<Group>> changeMembers(String name, String group,
                                                          UnaryOperator<List<String>> change) {
        return executor.submit(name, () -> records.update(Table.GROUPS, Key.of(group).bytes(), stored -> {
            if (stored == null) {
                return Change.keep(Optional.<Group>empty());
            }
            Group before = Values.group(group, stored);
            Group after = new Group(group, change.apply(before.members()));
            return after.equals(before)
                    ? Change.keep(Optional.of(before))
                    : Change.write(Values.members(after), Optional.of(after));
        }));
    }

    private Optional<StoredHome> home(HomeKey key) throws Exception {
        return Optional.ofNullable(records.get(Table.HOMES, key.bytes())).map(Values::home);
    }

    private static int checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return limit;
    }
}
