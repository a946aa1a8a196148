package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxTest {
    @TempDir
    Path dir;

    @Test
    void keepsWhatWasNotAnsweredInOrderAcrossReopening() {
        Path file = dir.resolve("outbox.jsonl");
        try (Outbox outbox = Outbox.open(file)) {
            outbox.add(send("a"));
            outbox.add(send("b"));
            outbox.add(send("c"));
            outbox.remove("b");
        }
        try (Outbox reopened = Outbox.open(file)) {
            assertThat(reopened.all()).extracting(Frame.Send::id).containsExactly("a", "c");
        }
    }

    @Test
    void aTornLastLineFromACrashIsSkipped() throws Exception {
        Path file = dir.resolve("outbox.jsonl");
        try (Outbox outbox = Outbox.open(file)) {
            outbox.add(send("a"));
        }
        Files.write(file, "{\"type\":\"send\",\"id\":\"b\",\"conv".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (Outbox reopened = Outbox.open(file)) {
            assertThat(reopened.all()).extracting(Frame.Send::id).containsExactly("a");
            reopened.add(send("c"));
        }
        try (Outbox again = Outbox.open(file)) {
            assertThat(again.all()).extracting(Frame.Send::id).containsExactly("a", "c");
        }
    }

    @Test
    void compactsAnsweredSendsAway() throws Exception {
        Path file = dir.resolve("outbox.jsonl");
        try (Outbox outbox = Outbox.open(file)) {
            for (int i = 0; i < 10; i++) {
                outbox.add(send("m" + i));
                outbox.remove("m" + i);
            }
        }
        try (Outbox reopened = Outbox.open(file)) {
            assertThat(reopened.size()).isZero();
        }
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aQueuedIdIsQueuedOnce() {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.jsonl"))) {
            assertThat(outbox.add(send("a"))).isTrue();
            assertThat(outbox.add(send("a"))).isFalse();
            assertThat(outbox.size()).isEqualTo(1);
        }
    }

    @Test
    void twoClientsCannotShareAStateDirectory() {
        try (ClientStateDir first = ClientStateDir.open(dir)) {
            assertThatThrownBy(() -> ClientStateDir.open(dir)).isInstanceOf(IllegalStateException.class);
        }
        ClientStateDir.open(dir).close();
    }

    private static Frame.Send send(String id) {
        return new Frame.Send(null, id, "dm:alice:bob", null, "body of " + id, null);
    }
}
