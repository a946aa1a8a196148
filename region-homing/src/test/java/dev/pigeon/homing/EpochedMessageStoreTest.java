package dev.pigeon.homing;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The epoched store over the embedded store, one data centre for both regions: a row that arrives
 * late is appended to its stream, where it takes the position the old home gave it because the
 * survivor's copy holds everything before it.
 */
class EpochedMessageStoreTest extends EpochedMessageStoreContract {
    @TempDir
    static Path dir;
    private static EmbeddedMessageStore store;
    private static WithheldRows copy;

    @BeforeAll
    static void open() {
        store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults());
        copy = new WithheldRows(store);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected Site eu() {
        return new Site(copy, store);
    }

    @Override
    protected Site us() {
        return new Site(copy, store);
    }

    @Override
    protected void orphanLogRow(String stream, LogEntry stored) {
        LogEntry appended = result(store.appendToLog(new MessageDraft(stream, stored.from(), stored.id(), stored.body(),
                stored.format(), stored.ts())));
        assertThat(appended.convSeq()).as("position of the late row").isEqualTo(stored.convSeq());
    }

    @Override
    protected void orphanInboxRow(String stream, long seq, LogEntry entry) {
        assertThat(result(store.appendToInbox(stream, entry))).as("position of the late row").isEqualTo(seq);
    }

    @Override
    protected void withholdLogRow(String stream, long convSeq) {
        copy.withholdLogRow(stream, convSeq);
    }

    @Override
    protected void withholdInboxRow(String stream, long seq) {
        copy.withholdInboxRow(stream, seq);
    }
}
