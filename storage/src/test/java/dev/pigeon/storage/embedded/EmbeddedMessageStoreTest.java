package dev.pigeon.storage.embedded;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.MessageStoreContract;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StorageUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedMessageStoreTest extends MessageStoreContract {
    @TempDir
    static Path sharedDir;
    private static EmbeddedMessageStore shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void openShared() {
        shared = EmbeddedMessageStore.open(sharedDir, EmbeddedStoreOptions.defaults());
    }

    @AfterAll
    static void closeShared() {
        shared.close();
    }

    @Override
    protected MessageStore store() {
        return shared;
    }

    @Test
    void everythingAcknowledgedSurvivesARestartAndPositionsContinue() {
        String conversation = groupConversation();
        String user = user();
        String group = group();
        SendClaim claim = new SendClaim(user, "c1", conversation, "digest");
        List<LogEntry> written = new ArrayList<>();
        try (MessageStore store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults())) {
            for (int i = 1; i <= 3; i++) {
                LogEntry entry = await(store.appendToLog(new MessageDraft(conversation, user, "m" + i, "b" + i, null, i)));
                await(store.appendToInbox(user, entry));
                written.add(entry);
            }
            await(store.claimSend(claim));
            await(store.advanceReadOffset(user, conversation, 2));
            await(store.advanceDeliveredOffset(user, "phone", 3));
            await(store.createGroup(Group.of(group, List.of(user))));
        }

        try (MessageStore store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults())) {
            assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 10))).containsExactlyElementsOf(reversed(written));
            assertThat(await(store.readInbox(user, 0, 10))).extracting(InboxEntry::entry).containsExactlyElementsOf(written);
            assertThat(await(store.claimSend(new SendClaim(user, "c1", "g:other", "x")))).isEqualTo(claim);
            assertThat(await(store.readOffset(user, conversation))).isEqualTo(2);
            assertThat(await(store.deliveredOffset(user, "phone"))).isEqualTo(3);
            assertThat(await(store.group(group))).contains(Group.of(group, List.of(user)));

            assertThat(await(store.appendToLog(new MessageDraft(conversation, user, "m2", "again", null, 9))))
                    .isEqualTo(written.get(1));
            LogEntry next = await(store.appendToLog(new MessageDraft(conversation, user, "m4", "b4", null, 4)));
            assertThat(next.convSeq()).isEqualTo(4);
            assertThat(await(store.appendToInbox(user, written.get(0)))).isEqualTo(1);
            assertThat(await(store.appendToInbox(user, next))).isEqualTo(4);
        }
    }

    @Test
    void aStoreCanBeOpenedInADirectoryThatDoesNotExistYet() {
        Path nested = dir.resolve("data").resolve("store");

        try (MessageStore store = EmbeddedMessageStore.open(nested, EmbeddedStoreOptions.defaults())) {
            assertThat(await(store.inboxHead(user()))).isZero();
        }
        assertThat(nested).isDirectory();
    }

    @Test
    void writesWithoutSyncAreFlushedOnClose() {
        String conversation = groupConversation();
        EmbeddedStoreOptions unsynced = EmbeddedStoreOptions.builder().syncWrites(false).build();
        try (MessageStore store = EmbeddedMessageStore.open(dir, unsynced)) {
            appendTo(store, conversation, 5);
        }

        try (MessageStore store = EmbeddedMessageStore.open(dir, unsynced)) {
            assertThat(await(store.readLog(conversation, Long.MAX_VALUE, 10))).hasSize(5);
            assertThat(await(store.appendToLog(new MessageDraft(conversation, "u", "m5", "b", null, 5))).convSeq())
                    .isEqualTo(6);
        }
    }

    @Test
    void everyCallAfterCloseFailsAsUnavailable() {
        MessageStore store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults());
        store.close();
        store.close();

        LogEntry entry = new LogEntry("g:x", 1, "u", "m", "b", null, 1);
        List<Function<MessageStore, CompletionStage<?>>> calls = List.of(
                s -> s.claimSend(new SendClaim("u", "c", "g:x", "d")),
                s -> s.appendToLog(new MessageDraft("g:x", "u", "m", "b", null, 1)),
                s -> s.appendToInbox("u", entry),
                s -> s.readInbox("u", 0, 10),
                s -> s.inboxHead("u"),
                s -> s.readLog("g:x", Long.MAX_VALUE, 10),
                s -> s.advanceReadOffset("u", "g:x", 1),
                s -> s.readOffset("u", "g:x"),
                s -> s.advanceDeliveredOffset("u", "d", 1),
                s -> s.deliveredOffset("u", "d"),
                s -> s.createGroup(Group.of("x", List.of())),
                s -> s.group("x"),
                s -> s.addMember("x", "u"),
                s -> s.removeMember("x", "u"));

        assertThat(calls).allSatisfy(call -> assertThat(failure(call.apply(store)))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("closed"));
    }

    @Test
    void closeFinishesTheWritesAlreadyAskedForBeforeReleasingTheDirectory() {
        String conversation = groupConversation();
        MessageStore store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults());
        List<CompletableFuture<LogEntry>> appends = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            appends.add(store.appendToLog(new MessageDraft(conversation, "u", "m" + i, "b", null, i)).toCompletableFuture());
        }

        store.close();

        assertThat(appends).allSatisfy(append -> assertThat(append).isCompleted().isNotCompletedExceptionally());
        try (MessageStore reopened = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults())) {
            assertThat(await(reopened.readLog(conversation, Long.MAX_VALUE, 1000)))
                    .containsExactlyInAnyOrderElementsOf(appends.stream().map(CompletableFuture::join).toList())
                    .extracting(LogEntry::convSeq).doesNotHaveDuplicates().hasSize(500).contains(1L, 500L);
        }
    }

    @Test
    void aDirectoryHeldByAnotherStoreIsAClearError() {
        try (MessageStore ignored = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults())) {
            assertThatThrownBy(() -> EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults()))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("lock");
        }
    }

    @Test
    void aCorruptDirectoryIsAClearError() throws Exception {
        EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults()).close();
        Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults()))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("cannot open the embedded store at " + dir);
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> EmbeddedMessageStore.open(file, EmbeddedStoreOptions.defaults()))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("cannot open the embedded store at " + file);
    }

    @Test
    void aStoreOfAnUnknownFormatIsRefused() throws Exception {
        try (Database database = Database.open(dir, true)) {
            database.db().put("pigeon.format".getBytes(StandardCharsets.US_ASCII), Key.encodePosition(2));
        }

        assertThatThrownBy(() -> EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults()))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("unknown format version 2");
    }

    private static <T> List<T> reversed(List<T> items) {
        List<T> copy = new ArrayList<>(items);
        Collections.reverse(copy);
        return copy;
    }

    private static void appendTo(MessageStore store, String conversation, int count) {
        for (int i = 0; i < count; i++) {
            await(store.appendToLog(new MessageDraft(conversation, "u", "m" + i, "b" + i, null, i)));
        }
    }
}
