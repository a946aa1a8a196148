package dev.pigeon.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolJson;
import dev.pigeon.protocol.ProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The SDK against a real node, through a proxy that can refuse transports, cut connections and
 * follow the node to a new port after a restart. In every case the receiver must get every message
 * exactly once, in order.
 */
class ClientEndToEndTest {
    private static final String DM = "dm:alice:bob";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestNode node;
    private TestProxy proxy;
    private final List<PigeonClient> clients = new ArrayList<>();

    @BeforeEach
    void startNode() {
        node = TestNode.start(dir.resolve("node"));
        proxy = new TestProxy(() -> node.port());
    }

    @AfterEach
    void stopAll() {
        clients.forEach(PigeonClient::close);
        proxy.close();
        node.close();
    }

    @Test
    void fallsBackToSseWhenTheWebSocketUpgradeIsRefused() {
        proxy.block("/v1/ws");
        Recorder alice = new Recorder();
        Recorder bob = new Recorder();
        PigeonClient sender = connect("alice", proxy.uri(), alice);
        connect("bob", proxy.uri(), bob);

        sendAll(sender, 0, 20);

        awaitExactlyOnceInOrder(bob, 20);
        assertThat(alice.openOver(TransportKind.SSE)).isTrue();
        assertThat(bob.openOver(TransportKind.WEBSOCKET)).isFalse();
        assertThat(proxy.refusals()).isPositive();
    }

    @Test
    void fallsBackToLongPollWhenWebSocketAndSseAreRefused() {
        proxy.block("/v1/ws").block("/v1/sse");
        Recorder alice = new Recorder();
        Recorder bob = new Recorder();
        PigeonClient sender = connect("alice", proxy.uri(), alice);
        connect("bob", proxy.uri(), bob);

        sendAll(sender, 0, 20);

        awaitExactlyOnceInOrder(bob, 20);
        assertThat(bob.openOver(TransportKind.LONG_POLL)).isTrue();
        assertThat(bob.openOver(TransportKind.SSE)).isFalse();
    }

    @Test
    void goesBackToTheWebSocketOnceItWorksAgain() {
        proxy.block("/v1/ws");
        Recorder bob = new Recorder();
        PigeonClient receiver = connect("bob", proxy.uri(), bob, b -> b.retryBetterAfter(Duration.ofMillis(300)));
        await().atMost(PATIENCE).until(() -> bob.openOver(TransportKind.SSE));

        proxy.unblock("/v1/ws");

        await().atMost(PATIENCE).until(() -> receiver.state().transport() == TransportKind.WEBSOCKET
                && receiver.state().status() == ConnectionState.Status.OPEN);
        PigeonClient sender = connect("alice", node.uri(), new Recorder());
        sendAll(sender, 0, 5);
        awaitExactlyOnceInOrder(bob, 5);
    }

    @Test
    void everyMessageArrivesOnceWhenTheServerRestartsInTheMiddle() {
        Recorder bob = new Recorder();
        PigeonClient sender = connect("alice", proxy.uri(), new Recorder());
        connect("bob", proxy.uri(), bob);
        sendAll(sender, 0, 10);
        await().atMost(PATIENCE).until(() -> bob.bodies(DM).size() == 10);

        node.stop();
        await().atMost(PATIENCE).until(() -> sender.state().status() != ConnectionState.Status.OPEN);
        sendAll(sender, 10, 20);
        assertThat(sender.queued()).hasSize(10);
        node.startAgain();

        awaitExactlyOnceInOrder(bob, 20);
        await().atMost(PATIENCE).until(() -> sender.queued().isEmpty());
    }

    @Test
    void everyMessageArrivesOnceWhenConnectionsAreCutAgainAndAgain() {
        Recorder bob = new Recorder();
        PigeonClient sender = connect("alice", proxy.uri(), new Recorder());
        connect("bob", proxy.uri(), bob);
        for (int round = 0; round < 4; round++) {
            sendAll(sender, round * 10, round * 10 + 10);
            proxy.cutAll();
        }
        awaitExactlyOnceInOrder(bob, 40);
    }

    @Test
    void unsentMessagesSurviveTheClientProcessAndGoOutOnceInOrder() {
        Recorder bob = new Recorder();
        connect("bob", proxy.uri(), bob);
        node.stop();
        PigeonClient first = connect("alice", proxy.uri(), new Recorder());
        sendAll(first, 0, 15);
        first.close();
        clients.remove(first);

        Recorder alice = new Recorder();
        PigeonClient second = build("alice", proxy.uri(), alice, b -> b);
        assertThat(second.queued()).extracting(s -> s.body())
                .containsExactlyElementsOf(IntStream.range(0, 15).mapToObj(i -> "m" + i).toList());
        node.startAgain();
        second.connect();

        await().atMost(PATIENCE).until(() -> alice.sent.size() == 15);
        await().atMost(PATIENCE).until(() -> bob.bodies(DM).size() >= 15);
        assertThat(bob.bodies(DM)).containsExactlyElementsOf(IntStream.range(0, 15).mapToObj(i -> "m" + i).toList());
        assertThat(alice.bodies(DM)).containsExactlyElementsOf(IntStream.range(0, 15).mapToObj(i -> "m" + i).toList());
        assertThat(second.queued()).isEmpty();
    }

    @Test
    void aResendAfterACrashIsNotDuplicated() {
        Recorder bob = new Recorder();
        connect("bob", node.uri(), bob);
        PigeonClient sender = connect("alice", node.uri(), new Recorder());
        var original = new dev.pigeon.protocol.Frame.Send(null, "same-id", null, "bob", "once", null);
        var first = sender.send(original).join();
        var again = sender.send(original).join();

        assertThat(again.convSeq()).isEqualTo(first.convSeq());
        await().atMost(PATIENCE).until(() -> bob.bodies(DM).size() == 1);
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> bob.bodies(DM).size() == 1);
    }

    @Test
    void aRestartedClientResumesAfterItsPositionWithoutRepeats() {
        PigeonClient sender = connect("alice", node.uri(), new Recorder());
        Recorder before = new Recorder();
        PigeonClient bobFirst = connect("bob", node.uri(), before);
        sendAll(sender, 0, 5);
        awaitExactlyOnceInOrder(before, 5);
        bobFirst.close();
        clients.remove(bobFirst);

        sendAll(sender, 5, 10);
        Recorder after = new Recorder();
        connect("bob", node.uri(), after);

        await().atMost(PATIENCE).until(() -> after.bodies(DM).size() == 5);
        assertThat(after.bodies(DM)).containsExactly("m5", "m6", "m7", "m8", "m9");
        assertThat(after.seqs()).containsExactly(6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aCrashedClientHandsEveryEntryOutOnceAcrossItsRestart() {
        PigeonClient sender = connect("alice", node.uri(), new Recorder());
        Recorder before = new Recorder();
        PigeonClient crashing = connect("bob", node.uri(), before);
        sendAll(sender, 0, 5);
        await().atMost(PATIENCE).until(() -> before.messages.size() == 5);
        // saved once the listener has caught up with what arrived
        await().atMost(PATIENCE).until(() -> savedPosition("bob") == 5);

        crashing.abandon();
        clients.remove(crashing);
        sendAll(sender, 5, 10);
        Recorder after = new Recorder();
        connect("bob", node.uri(), after);

        await().atMost(PATIENCE).until(() -> after.messages.size() >= 5);
        List<Frame.Msg> seen = new ArrayList<>(before.messages);
        seen.addAll(after.messages);
        assertThat(seen).extracting(Frame.Msg::body)
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "m" + i).toList());
        assertThat(seen).extracting(Frame.Msg::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    @Test
    void aReadMarkerMadeOfflineOutlivesTheProcessAndGoesOutOnReconnect() {
        Recorder alice = new Recorder();
        PigeonClient sender = connect("alice", node.uri(), alice);
        var sent = sender.sendTo("bob", "read me").join();
        PigeonClient offline = build("bob", node.uri(), new Recorder(), b -> b);
        offline.read(DM, sent.convSeq());
        offline.abandon();
        clients.remove(offline);
        assertThat(alice.receipts).isEmpty();

        connect("bob", node.uri(), new Recorder());

        await().atMost(PATIENCE).until(() -> alice.receipts.stream()
                .anyMatch(r -> r.user().equals("bob") && r.conversation().equals(DM) && r.readUpTo() == sent.convSeq()));
        await().atMost(PATIENCE).until(() -> savedReadMarkers("bob").isEmpty());
    }

    @Test
    void readMarkersReachTheOtherMemberAsReceipts() {
        Recorder alice = new Recorder();
        PigeonClient sender = connect("alice", node.uri(), alice);
        PigeonClient receiver = connect("bob", node.uri(), new Recorder());
        await().atMost(PATIENCE).until(() -> receiver.state().status() == ConnectionState.Status.OPEN);
        var sent = sender.sendTo("bob", "read me").join();

        receiver.read(DM, sent.convSeq());

        await().atMost(PATIENCE).until(() -> alice.receipts.stream()
                .anyMatch(r -> r.user().equals("bob") && r.readUpTo() == sent.convSeq()));
    }

    @Test
    void refusesAnOversizedBodyBeforeQueueingIt() {
        PigeonClient sender = build("alice", node.uri(), new Recorder(), b -> b);
        String limit = "é".repeat(32 * 1024); // 64 KiB of UTF-8 in 32 Ki characters

        assertThatThrownBy(() -> sender.sendTo("bob", limit + "x"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(sender.queued()).isEmpty();
        sender.sendTo("bob", limit);
        assertThat(sender.queued()).hasSize(1);
    }

    @Test
    void refusesAnInvalidRecipientBeforeQueueingIt() {
        PigeonClient sender = build("alice", node.uri(), new Recorder(), b -> b);

        assertThatThrownBy(() -> sender.sendTo("not a user", "hi"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThat(sender.queued()).isEmpty();
    }

    private void sendAll(PigeonClient sender, int from, int to) {
        for (int i = from; i < to; i++) {
            sender.sendTo("bob", "m" + i);
        }
    }

    /** Bob saw m0..m(n-1) in the conversation, once each and in order, at contiguous inbox positions from 1. */
    private static void awaitExactlyOnceInOrder(Recorder bob, int n) {
        await().atMost(PATIENCE).until(() -> bob.bodies(DM).size() >= n);
        assertThat(bob.bodies(DM)).containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "m" + i).toList());
        assertThat(bob.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
    }

    private long savedPosition(String user) {
        return readState(user, "position.json").path("seq").asLong(0);
    }

    private JsonNode savedReadMarkers(String user) {
        return readState(user, "reads.json");
    }

    private JsonNode readState(String user, String file) {
        Path path = dir.resolve("clients").resolve(user).resolve("default").resolve(file);
        try {
            return Files.exists(path) ? ProtocolJson.mapper().readTree(Files.readAllBytes(path))
                    : ProtocolJson.mapper().createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PigeonClient connect(String user, URI server, PigeonListener recorder) {
        return connect(user, server, recorder, b -> b);
    }

    private PigeonClient connect(String user, URI server, PigeonListener recorder,
                                 java.util.function.UnaryOperator<PigeonClient.Builder> tweak) {
        return build(user, server, recorder, tweak).connect();
    }

    private PigeonClient build(String user, URI server, PigeonListener recorder,
                               java.util.function.UnaryOperator<PigeonClient.Builder> tweak) {
        PigeonClient client = tweak.apply(PigeonClient.builder()
                .server(server).user(user).token(node.token(user))
                .stateDir(dir.resolve("clients"))
                .listener(recorder)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                // a send or handshake lost in a cut is given up, and tried again, well within PATIENCE
                .requestTimeout(Duration.ofSeconds(3))
                .connectTimeout(Duration.ofSeconds(3))).build();
        clients.add(client);
        return client;
    }
}
