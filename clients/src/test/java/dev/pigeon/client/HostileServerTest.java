package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.JsonFrameCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Garbage, unknown frames, repeats and holes from the server: the client logs, skips and goes on. */
class HostileServerTest {
    private static final JsonFrameCodec JSON = new JsonFrameCodec();
    private static final String HELLO = json(new Frame.Hello("s1", "bob", "n1", "local", "local", 1, 0, 25_000));

    @TempDir
    Path dir;

    @Test
    void webSocketGarbageIsSkippedAndAHoleIsFilledFromSync() {
        List<String> script = List.of(HELLO, "{not json", "{\"type\":\"surprise\"}", "{\"type\":\"msg\",\"seq\":\"x\"}",
                "[]", json(msg(1)), json(msg(1)), json(msg(2)), json(msg(4)), json(msg(5)));
        String syncAnswer = "{\"messages\":[" + json(msg(3)) + "],\"head\":5}";
        Recorder bob = new Recorder();
        try (ScriptedServer server = new ScriptedServer(script, "", Map.of("/v1/sync", syncAnswer));
             PigeonClient client = client(server, bob, TransportKind.WEBSOCKET)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bob.messages.size() >= 5);
            assertThat(bob.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(client.state().status()).isEqualTo(ConnectionState.Status.OPEN);
        }
    }

    @Test
    void sseGarbageIsSkipped() {
        String stream = "retry: 2000\n\n"
                + "id: 0\nevent: hello\ndata: " + HELLO + "\n\n"
                + "event: msg\ndata: {garbage\n\n"
                + ": ka\n\n"
                + "id: 1\nevent: msg\ndata: " + json(msg(1)) + "\n\n"
                + "event: mystery\ndata: {\"type\":\"nope\"}\n\n"
                + "event: msg\n\n"
                + "id: 2\nevent: msg\ndata: " + json(msg(2)) + "\n\n"
                + "id: 1\nevent: msg\ndata: " + json(msg(1)) + "\n\n";
        Recorder bob = new Recorder();
        try (ScriptedServer server = new ScriptedServer(List.of(), stream, Map.of());
             PigeonClient client = client(server, bob, TransportKind.SSE)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bob.messages.size() >= 2);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> bob.messages.size() == 2);
            assertThat(bob.seqs()).containsExactly(1L, 2L);
            assertThat(client.state()).isEqualTo(new ConnectionState(ConnectionState.Status.OPEN, TransportKind.SSE));
        }
    }

    private PigeonClient client(ScriptedServer server, Recorder recorder, TransportKind transport) {
        return PigeonClient.builder().server(server.uri()).user("bob").token("any")
                .stateDir(dir).transports(transport).listener(recorder).build().connect();
    }

    private static Frame.Msg msg(long seq) {
        return new Frame.Msg(seq, "dm:alice:bob", seq, "alice", "id-" + seq, "m" + seq, null, 1000 + seq);
    }

    private static String json(Frame frame) {
        return new String(JSON.encode(frame), StandardCharsets.UTF_8);
    }
}
