package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

class WebSocketEndToEndTest {
    @RegisterExtension
    final TestNode node = TestNode.perTest();

    @Test
    void helloIsTheFirstFrame() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            JsonNode hello = alice.next("hello");
            assertThat(hello.path("user").asText()).isEqualTo("alice");
            assertThat(hello.path("node").asText()).isEqualTo("node-1");
            assertThat(hello.path("region").asText()).isEqualTo("local");
            assertThat(hello.path("home_region").asText()).isEqualTo("local");
            assertThat(hello.path("epoch").asLong()).isEqualTo(1);
            assertThat(hello.path("head").asLong()).isZero();
            assertThat(hello.path("heartbeat_ms").asLong()).isEqualTo(25_000);
            assertThat(hello.path("session").asText()).isNotEmpty();
        }
    }

    @Test
    void directMessagesReachBothSides() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "");
             WsClient bob = WsClient.connect(node, node.token("bob"), "")) {
            alice.next("hello");
            bob.next("hello");
            alice.send("{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"body\":\"hi bob\"}");
            JsonNode first = alice.next();
            JsonNode second = alice.next();
            JsonNode sent = first.path("type").asText().equals("sent") ? first : second;
            JsonNode own = first == sent ? second : first;
            assertThat(sent.path("ref").asText()).isEqualTo("m1");
            assertThat(sent.path("conversation").asText()).isEqualTo("dm:alice:bob");
            assertThat(sent.path("conv_seq").asLong()).isEqualTo(1);
            assertThat(sent.path("seq").asLong()).isEqualTo(1);
            assertThat(own.path("type").asText()).isEqualTo("msg");
            JsonNode msg = bob.next("msg");
            assertThat(msg.path("seq").asLong()).isEqualTo(1);
            assertThat(msg.path("from").asText()).isEqualTo("alice");
            assertThat(msg.path("body").asText()).isEqualTo("hi bob");
            assertThat(msg.has("format")).isFalse();
        }
    }

    @Test
    void groupMessagesReachEveryMember() {
        node.post("/v1/groups", node.token("alice"), "{\"group\":\"team\",\"members\":[\"bob\",\"carol\"]}");
        try (WsClient bob = WsClient.connect(node, node.token("bob"), "");
             WsClient carol = WsClient.connect(node, node.token("carol"), "");
             WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            bob.next("hello");
            carol.next("hello");
            alice.next("hello");
            alice.send("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"g1\",\"conversation\":\"g:team\",\"body\":\"hello team\"}");
            for (WsClient member : new WsClient[] {bob, carol}) {
                JsonNode msg = member.next("msg");
                assertThat(msg.path("conversation").asText()).isEqualTo("g:team");
                assertThat(msg.path("conv_seq").asLong()).isEqualTo(1);
                assertThat(msg.path("body").asText()).isEqualTo("hello team");
            }
            assertThat(java.util.List.of(alice.next(), alice.next()))
                    .anySatisfy(f -> assertThat(f.path("ref").asText()).isEqualTo("r1"));
        }
    }

    @Test
    void protobufSubprotocolCarriesTheSameFrames() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "", "pigeon.v1.proto");
             WsClient bob = WsClient.connect(node, node.token("bob"), "", "pigeon.v1.proto")) {
            assertThat(alice.socket.getSubprotocol()).isEqualTo("pigeon.v1.proto");
            assertThat(alice.nextProto()).isInstanceOf(Frame.Hello.class);
            assertThat(bob.nextProto()).isInstanceOf(Frame.Hello.class);
            alice.sendProto(new Frame.Send(null, "p1", null, "bob", "over protobuf", null));
            Frame.ServerFrame received = bob.nextProto();
            assertThat(received).isInstanceOfSatisfying(Frame.Msg.class, msg -> {
                assertThat(msg.body()).isEqualTo("over protobuf");
                assertThat(msg.conversation()).isEqualTo("dm:alice:bob");
            });
            node.post("/v1/groups", node.token("alice"), "{\"group\":\"duo\",\"members\":[\"bob\"]}");
            bob.sendProto(new Frame.Send("gr", "p2", "g:duo", null, "group over protobuf", "image/png"));
            // alice's own sent and msg of p1, and bob's group message, in whatever order they raced
            assertThat(List.of(alice.nextProto(), alice.nextProto(), alice.nextProto())).anySatisfy(frame ->
                    assertThat(frame).isInstanceOfSatisfying(Frame.Msg.class, msg -> {
                        assertThat(msg.conversation()).isEqualTo("g:duo");
                        assertThat(msg.format()).isEqualTo("image/png");
                    }));
            bob.sendProto(new Frame.Send(null, "p3", "g:nope", null, "x", null));
            assertThat(List.of(bob.nextProto(), bob.nextProto(), bob.nextProto()))
                    .anySatisfy(f -> assertThat(f).isInstanceOf(Frame.Error.class));
            alice.sendProto(new Frame.Ping("pp"));
            assertThat(alice.nextProto()).isEqualTo(new Frame.Pong("pp"));
        }
    }

    @Test
    void jsonIsTheDefaultSubprotocol() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "", "pigeon.v1.json")) {
            assertThat(alice.socket.getSubprotocol()).isEqualTo("pigeon.v1.json");
            alice.next("hello");
        }
    }

    @Test
    void resumingWithSinceReplaysLaterEntriesThenGoesLive() {
        for (int i = 1; i <= 5; i++) {
            node.sendMessage("alice", "bob", "m" + i, "message " + i);
        }
        try (WsClient bob = WsClient.connect(node, node.token("bob"), "?since=2")) {
            assertThat(bob.next("hello").path("head").asLong()).isEqualTo(5);
            for (long seq = 3; seq <= 5; seq++) {
                assertThat(bob.next("msg").path("seq").asLong()).isEqualTo(seq);
            }
            node.sendMessage("alice", "bob", "m6", "live");
            assertThat(bob.next("msg").path("seq").asLong()).isEqualTo(6);
        }
    }

    @Test
    void sinceBeyondTheHeadReplaysNothing() {
        node.sendMessage("alice", "bob", "m1", "one");
        try (WsClient bob = WsClient.connect(node, node.token("bob"), "?since=99")) {
            assertThat(bob.next("hello").path("head").asLong()).isEqualTo(1);
            node.sendMessage("alice", "bob", "m2", "two");
            assertThat(bob.next("msg").path("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void withoutSinceTheStreamIsLiveFromHello() {
        node.sendMessage("alice", "bob", "m1", "old");
        try (WsClient bob = WsClient.connect(node, node.token("bob"), "")) {
            bob.next("hello");
            bob.send("{\"type\":\"ping\",\"ref\":\"p\"}");
            assertThat(bob.next("pong").path("ref").asText()).isEqualTo("p");
            node.sendMessage("alice", "bob", "m2", "new");
            assertThat(bob.next("msg").path("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void syncHistoryReadAndAckFrames() {
        node.sendMessage("alice", "bob", "m1", "one");
        node.sendMessage("bob", "alice", "m2", "two");
        try (WsClient bob = WsClient.connect(node, node.token("bob"), "");
             WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            bob.next("hello");
            alice.next("hello");
            bob.send("{\"type\":\"sync\",\"ref\":\"s\",\"since\":0,\"limit\":10}");
            assertThat(bob.next("msg").path("seq").asLong()).isEqualTo(1);
            assertThat(bob.next("msg").path("seq").asLong()).isEqualTo(2);
            JsonNode synced = bob.next("synced");
            assertThat(synced.path("head").asLong()).isEqualTo(2);
            assertThat(synced.path("ref").asText()).isEqualTo("s");

            bob.send("{\"type\":\"history\",\"ref\":\"h\",\"conversation\":\"dm:alice:bob\",\"limit\":1}");
            JsonNode history = bob.next("history");
            assertThat(history.path("ref").asText()).isEqualTo("h");
            assertThat(history.path("messages")).hasSize(1);
            assertThat(history.path("messages").get(0).path("conv_seq").asLong()).isEqualTo(2);
            assertThat(history.path("messages").get(0).has("seq")).isFalse();

            bob.send("{\"type\":\"ack\",\"ref\":\"a\",\"up_to\":2}");
            bob.send("{\"type\":\"read\",\"ref\":\"rd\",\"conversation\":\"dm:alice:bob\",\"up_to\":2}");
            JsonNode receipt = alice.next("receipt");
            assertThat(receipt.path("conversation").asText()).isEqualTo("dm:alice:bob");
            assertThat(receipt.path("user").asText()).isEqualTo("bob");
            assertThat(receipt.path("read_up_to").asLong()).isEqualTo(2);
            bob.send("{\"type\":\"ping\"}");
            bob.next("pong");
        }
    }

    @Test
    void badFramesGetAnErrorAndTheSocketStaysOpen() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            alice.next("hello");
            alice.send("{not json");
            assertThat(alice.next("error").path("code").asText()).isEqualTo("bad_request");
            alice.send("{\"type\":\"teleport\",\"ref\":\"t\"}");
            JsonNode unknown = alice.next("error");
            assertThat(unknown.path("code").asText()).isEqualTo("bad_request");
            assertThat(unknown.path("ref").asText()).isEqualTo("t");
            alice.send("{\"type\":\"send\",\"id\":\"x1\",\"body\":\"no conversation\"}");
            JsonNode missing = alice.next("error");
            assertThat(missing.path("code").asText()).isEqualTo("bad_request");
            assertThat(missing.path("ref").asText()).isEqualTo("x1");
            alice.send("{\"type\":\"send\",\"id\":\"x2\",\"to\":\"bad user!\",\"body\":\"b\"}");
            assertThat(alice.next("error").path("code").asText()).isEqualTo("bad_request");
            alice.send("{\"type\":\"send\",\"id\":\"x3\",\"conversation\":\"dm:bob:carol\",\"body\":\"b\"}");
            JsonNode foreign = alice.next("error");
            assertThat(foreign.path("code").asText()).isEqualTo("forbidden");
            assertThat(foreign.path("ref").asText()).isEqualTo("x3");
            alice.send("{\"type\":\"history\",\"ref\":\"h\",\"conversation\":\"dm:bob:carol\"}");
            assertThat(alice.next("error").path("code").asText()).isEqualTo("forbidden");
            alice.send("{\"type\":\"ack\",\"up_to\":-1}");
            assertThat(alice.next("error").path("code").asText()).isEqualTo("bad_request");
            alice.send("[]");
            assertThat(alice.next("error").path("code").asText()).isEqualTo("bad_request");
            alice.socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x01, 0x02}), true).join();
            assertThat(alice.next("error").path("code").asText()).isEqualTo("bad_request");

            alice.send("{\"type\":\"ping\",\"ref\":\"still-open\"}");
            assertThat(alice.next("pong").path("ref").asText()).isEqualTo("still-open");
        }
    }

    @Test
    void aBodyOverTheLimitInASmallerFrameIsTooLarge() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            alice.next("hello");
            alice.send("{\"type\":\"send\",\"id\":\"big\",\"to\":\"bob\",\"body\":\"" + "x".repeat(70_000) + "\"}");
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText()).isEqualTo("too_large");
            assertThat(error.path("ref").asText()).isEqualTo("big");
            alice.send("{\"type\":\"ping\",\"ref\":\"open\"}");
            alice.next("pong");
        }
    }

    @Test
    void aFrameOverTheFrameLimitClosesWith1009() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            alice.next("hello");
            alice.socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1 << 20) + "\"}", true);
            assertThat(alice.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void upgradesWithoutAValidTokenAreRefusedWith401() {
        assertThat(refusedUpgradeStatus(null, "")).isEqualTo(401);
        assertThat(refusedUpgradeStatus("not.a.token", "")).isEqualTo(401);
        assertThat(refusedUpgradeStatus(Tokens.forged("alice"), "")).isEqualTo(401);
        assertThat(refusedUpgradeStatus(Tokens.expired(TestNode.SECRET, "alice"), "")).isEqualTo(401);
        assertThat(refusedUpgradeStatus(Tokens.algNone("alice"), "")).isEqualTo(401);
        assertThat(refusedUpgradeStatus(null, "?token=" + Tokens.hs512(TestNode.SECRET, "alice"))).isEqualTo(401);
    }

    @Test
    void theTokenCanTravelInTheQuery() {
        try (WsClient alice = WsClient.connect(node, null, "?token=" + node.token("alice"))) {
            assertThat(alice.next("hello").path("user").asText()).isEqualTo("alice");
        }
    }

    @Test
    void anotherUsersInboxIsForbidden() {
        assertThat(refusedUpgradeStatus(node.token("alice"), "?user=bob")).isEqualTo(403);
    }

    @Test
    void aBadSinceIsRefusedWith400() {
        assertThat(refusedUpgradeStatus(node.token("alice"), "?since=-1")).isEqualTo(400);
        assertThat(refusedUpgradeStatus(node.token("alice"), "?since=abc")).isEqualTo(400);
    }

    @Test
    void anExpiringTokenClosesTheSocketWith4401() {
        String shortLived = node.tokens.issue("alice", Duration.ofSeconds(2));
        try (WsClient alice = WsClient.connect(node, shortLived, "")) {
            alice.next("hello");
            await().atMost(Duration.ofSeconds(10)).until(alice.closeCode::isDone);
            assertThat(alice.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void anAdminDisconnectClosesEverySessionWith4000() {
        try (WsClient one = WsClient.connect(node, node.token("alice"), "");
             WsClient two = WsClient.connect(node, node.token("alice"), "")) {
            one.next("hello");
            two.next("hello");
            assertThat(node.admin("POST", "/admin/users/alice/disconnect", TestNode.ADMIN_TOKEN).statusCode())
                    .isEqualTo(200);
            assertThat(one.awaitClose()).isEqualTo(4000);
            assertThat(two.awaitClose()).isEqualTo(4000);
        }
    }

    @Test
    void stoppingTheServerClosesSessionsWith1012() {
        try (WsClient alice = WsClient.connect(node, node.token("alice"), "")) {
            alice.next("hello");
            node.server.stop();
            assertThat(alice.awaitClose()).isEqualTo(1012);
            assertThat(alice.closeReason).isEqualTo("restart");
        }
    }

    @Test
    void oneSessionMoreThanAllowedIsRateLimited() throws Exception {
        try (TestNode small = TestNode.start(b -> b.sessionsPerUser(1));
             WsClient first = WsClient.connect(small, small.token("alice"), "")) {
            first.next("hello");
            assertThat(refusedUpgradeStatus(small, small.token("alice"), "")).isEqualTo(429);
        }
    }

    private int refusedUpgradeStatus(String token, String query) {
        return refusedUpgradeStatus(node, token, query);
    }

    /** The HTTP status an upgrade was refused with. */
    private static int refusedUpgradeStatus(TestNode target, String token, String query) {
        Throwable failure = catchThrowable(() -> WsClient.connect(target, token, query));
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
        }
        throw new AssertionError("the upgrade was not refused", failure);
    }
}
