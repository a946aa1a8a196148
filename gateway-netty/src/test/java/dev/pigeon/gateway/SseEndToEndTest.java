package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SseEndToEndTest {
    @RegisterExtension
    final TestNode node = TestNode.perTest(b -> b.corsOrigins(java.util.List.of("https://chat.example")));

    @Test
    void streamStartsWithRetryAndHelloThenCarriesMessages() throws Exception {
        node.sendMessage("alice", "bob", "m1", "before");
        try (SseClient bob = SseClient.open(node, "/v1/sse", Map.of("Authorization", "Bearer " + node.token("bob"),
                "Origin", "https://chat.example"))) {
            assertThat(bob.status).isEqualTo(200);
            assertThat(bob.headers).containsEntry("content-type", "text/event-stream")
                    .containsEntry("cache-control", "no-cache")
                    .containsEntry("x-accel-buffering", "no")
                    .containsEntry("transfer-encoding", "chunked")
                    .containsEntry("access-control-allow-origin", "https://chat.example");
            assertThat(bob.next().retry()).isEqualTo(2000);
            SseClient.Event hello = bob.nextEvent();
            assertThat(hello.event()).isEqualTo("hello");
            assertThat(hello.id()).isEqualTo("1");
            assertThat(TestNode.json(hello.data()).path("head").asLong()).isEqualTo(1);

            node.sendMessage("alice", "bob", "m2", "live");
            SseClient.Event msg = bob.nextEvent();
            assertThat(msg.event()).isEqualTo("msg");
            assertThat(msg.id()).isEqualTo("2");
            JsonNode frame = TestNode.json(msg.data());
            assertThat(frame.path("type").asText()).isEqualTo("msg");
            assertThat(frame.path("body").asText()).isEqualTo("live");
        }
    }

    @Test
    void lastEventIdResumesAndWinsOverSince() throws Exception {
        for (int i = 1; i <= 4; i++) {
            node.sendMessage("alice", "bob", "m" + i, "message " + i);
        }
        try (SseClient bob = SseClient.open(node, "/v1/sse?since=0", Map.of(
                "Authorization", "Bearer " + node.token("bob"), "Last-Event-ID", "2"))) {
            assertThat(bob.nextEvent().id()).isEqualTo("2");
            assertThat(bob.nextEvent().id()).isEqualTo("3");
            assertThat(bob.nextEvent().id()).isEqualTo("4");
        }
    }

    @Test
    void sinceResumesWithoutLastEventId() throws Exception {
        for (int i = 1; i <= 3; i++) {
            node.sendMessage("alice", "bob", "m" + i, "message " + i);
        }
        try (SseClient bob = SseClient.open(node, "/v1/sse?since=1", node.token("bob"))) {
            SseClient.Event hello = bob.nextEvent();
            assertThat(hello.event()).isEqualTo("hello");
            assertThat(hello.id()).isEqualTo("1");
            assertThat(bob.nextEvent().id()).isEqualTo("2");
            assertThat(bob.nextEvent().id()).isEqualTo("3");
        }
    }

    @Test
    void receiptsAreEventsWithoutId() throws Exception {
        node.sendMessage("alice", "bob", "m1", "read me");
        try (SseClient alice = SseClient.open(node, "/v1/sse", node.token("alice"))) {
            alice.nextEvent();
            assertThat(node.post("/v1/read", node.token("bob"),
                    "{\"type\":\"read\",\"conversation\":\"dm:alice:bob\",\"up_to\":1}").statusCode()).isEqualTo(204);
            SseClient.Event receipt = alice.nextEvent();
            assertThat(receipt.event()).isEqualTo("receipt");
            assertThat(receipt.id()).isNull();
            assertThat(TestNode.json(receipt.data()).path("read_up_to").asLong()).isEqualTo(1);
        }
    }

    @Test
    void keepaliveCommentsFlowAndTheStreamEndsCleanlyAtItsLifetime() throws Exception {
        try (TestNode quick = TestNode.start(b -> b.sseKeepalive(Duration.ofMillis(100))
                .sseMaxLifetime(Duration.ofMillis(1500)));
             SseClient bob = SseClient.open(quick, "/v1/sse", quick.token("bob"))) {
            assertThat(bob.next().retry()).isEqualTo(2000);
            assertThat(bob.next().event()).isEqualTo("hello");
            SseClient.Event keepalive = bob.next();
            assertThat(keepalive.isComment()).isTrue();
            assertThat(keepalive.comments()).containsExactly("ka");
            assertThat(bob.awaitEnd()).isTrue();
        }
    }

    @Test
    void anExpiringTokenEndsTheStream() throws Exception {
        try (SseClient bob = SseClient.open(node, "/v1/sse", node.tokens.issue("bob", Duration.ofSeconds(2)))) {
            assertThat(bob.nextEvent().event()).isEqualTo("hello");
            assertThat(bob.awaitEnd()).isTrue();
        }
    }

    @Test
    void refusalsArePlainHttpErrors() throws Exception {
        try (SseClient anonymous = SseClient.open(node, "/v1/sse", Map.of())) {
            assertThat(anonymous.status).isEqualTo(401);
        }
        try (SseClient badId = SseClient.open(node, "/v1/sse", Map.of("Authorization", "Bearer " + node.token("bob"),
                "Last-Event-ID", "x"))) {
            assertThat(badId.status).isEqualTo(400);
        }
        try (SseClient other = SseClient.open(node, "/v1/sse?user=alice", node.token("bob"))) {
            assertThat(other.status).isEqualTo(403);
        }
    }

    @Test
    void stoppingTheServerEndsTheStream() throws Exception {
        try (SseClient bob = SseClient.open(node, "/v1/sse", node.token("bob"))) {
            assertThat(bob.nextEvent().event()).isEqualTo("hello");
            node.server.stop();
            assertThat(bob.awaitEnd()).isTrue();
        }
    }
}
