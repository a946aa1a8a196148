package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PollEndToEndTest {
    @RegisterExtension
    final TestNode node = TestNode.perTest();

    @Test
    void answersAtOnceWhenEntriesAfterSinceExist() {
        for (int i = 1; i <= 3; i++) {
            node.sendMessage("alice", "bob", "m" + i, "message " + i);
        }
        HttpResponse<String> response = node.get("/v1/poll?since=1&wait=3600&limit=10", node.token("bob"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = TestNode.json(response.body());
        assertThat(body.path("head").asLong()).isEqualTo(3);
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").get(0).path("seq").asLong()).isEqualTo(2);
        assertThat(body.path("messages").get(1).path("seq").asLong()).isEqualTo(3);
    }

    @Test
    void limitCapsTheAnswer() {
        for (int i = 1; i <= 3; i++) {
            node.sendMessage("alice", "bob", "m" + i, "message " + i);
        }
        JsonNode body = TestNode.json(node.get("/v1/poll?since=0&limit=2", node.token("bob")).body());
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").get(1).path("seq").asLong()).isEqualTo(2);
    }

    @Test
    void waitsForTheNextEntry() {
        node.sendMessage("alice", "bob", "m1", "old");
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(
                () -> node.get("/v1/poll?since=1&wait=30", node.token("bob")));
        await().until(() -> node.presence.sessions(java.util.List.of("bob")).toCompletableFuture().join()
                .get("bob").stream().anyMatch(s -> s.transport().equals("poll")));
        node.sendMessage("alice", "bob", "m2", "new");
        JsonNode body = TestNode.json(poll.join().body());
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("body").asText()).isEqualTo("new");
        assertThat(body.path("head").asLong()).isEqualTo(2);
    }

    @Test
    void answersWithAnEmptyListWhenTheWaitIsOver() {
        node.sendMessage("alice", "bob", "m1", "old");
        JsonNode body = TestNode.json(node.get("/v1/poll?since=1&wait=1", node.token("bob")).body());
        assertThat(body.path("messages")).isEmpty();
        assertThat(body.path("head").asLong()).isEqualTo(1);
        JsonNode immediate = TestNode.json(node.get("/v1/poll?wait=0", node.token("bob")).body());
        assertThat(immediate.path("messages")).isEmpty();
        assertThat(immediate.path("head").asLong()).isEqualTo(1);
    }

    @Test
    void badParametersAreBadRequests() {
        String token = node.token("bob");
        for (String query : new String[] {"wait=-1", "wait=soon", "limit=0", "limit=x", "since=-3",
                "since=1.5"}) {
            HttpResponse<String> response = node.get("/v1/poll?" + query, token);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(TestNode.json(response.body()).path("code").asText()).isEqualTo("bad_request");
        }
        assertThat(node.get("/v1/poll?wait=0", null).statusCode()).isEqualTo(401);
        assertThat(node.get("/v1/poll?wait=0&user=alice", token).statusCode()).isEqualTo(403);
    }

    @Test
    void stoppingTheServerAnswersPendingPolls() {
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(
                () -> node.get("/v1/poll?wait=30", node.token("bob")));
        await().until(() -> !node.presence.sessions(java.util.List.of("bob")).toCompletableFuture().join()
                .get("bob").isEmpty());
        node.server.stop();
        HttpResponse<String> response = poll.join();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(response.body()).path("messages")).isEmpty();
    }
}
