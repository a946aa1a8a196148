package dev.pigeon.ops.chat;

import dev.pigeon.client.PigeonClient;
import dev.pigeon.client.PigeonListener;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.embedded.EmbeddedPigeon;
import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code pigeon chat} against an embedded node, with a Java SDK client on the other side. */
class ChatCommandTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void sendsTypedLinesAndShowsIncomingMessagesSentAndReadReceipts() throws Exception {
        PigeonConfig config = PigeonConfig.resolve(
                Map.of("port", "0", "admin-port", "0", "data-dir", dir.resolve("node").toString()), Map.of());
        try (EmbeddedPigeon pigeon = EmbeddedPigeon.start(config);
             PipedOutputStream typing = new PipedOutputStream();
             PipedInputStream stdin = new PipedInputStream(typing)) {
            URI server = URI.create("http://127.0.0.1:" + pigeon.port());
            List<Frame.Msg> bobSaw = new CopyOnWriteArrayList<>();
            StringWriter screen = new StringWriter();
            CommandLine chat = new CommandLine(new ChatCommand(stdin)).setOut(new PrintWriter(screen, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> chat.execute("--server", server.toString(),
                    "--user", "alice", "--to", "bob", "--state-dir", dir.resolve("alice").toString()));

            try (PigeonClient bob = PigeonClient.builder().server(server).user("bob").devTokens()
                    .stateDir(dir.resolve("bob")).listener(new PigeonListener() {
                        @Override
                        public void onMessage(Frame.Msg message) {
                            bobSaw.add(message);
                        }
                    }).build().connect()) {
                await().atMost(PATIENCE).until(() -> screen.toString().contains("* connected over websocket"));

                bob.sendTo("alice", "hi alice").join();
                await().atMost(PATIENCE).until(() -> screen.toString().contains("bob: hi alice"));

                type(typing, "hello bob\n");
                await().atMost(PATIENCE).until(() -> bobSaw.stream().anyMatch(m -> m.body().equals("hello bob")));
                await().atMost(PATIENCE).until(() -> screen.toString().contains("(sent #2)"));

                bob.read("dm:alice:bob", 2);
                await().atMost(PATIENCE).until(() -> screen.toString().contains("(read by bob up to #2)"));

                type(typing, "/quit\n");
                assertThat(exit.get()).isZero();
            }
        }
    }

    private static void type(PipedOutputStream typing, String text) throws IOException {
        typing.write(text.getBytes(StandardCharsets.UTF_8));
        typing.flush();
    }
}
