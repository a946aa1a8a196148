package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HttpApiEndToEndTest {
    @RegisterExtension
    final TestNode node = TestNode.perTest(b -> b.devTokens(true).maxHttpBodyBytes(256 * 1024)
            .httpRequestTimeout(Duration.ofMillis(500)));
    private final String alice = node.token("alice");
    private final String bob = node.token("bob");

    @Test
    void sendAnswersWithTheSentFrameAndRetriesCreateNothing() {
        String send = "{\"type\":\"send\",\"id\":\"c1\",\"to\":\"bob\",\"body\":\"hi\"}";
        HttpResponse<String> first = node.post("/v1/send", alice, send);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode sent = TestNode.json(first.body());
        assertThat(sent.path("type").asText()).isEqualTo("sent");
        assertThat(sent.path("ref").asText()).isEqualTo("c1");
        assertThat(sent.path("id").asText()).isEqualTo("c1");
        assertThat(sent.path("conversation").asText()).isEqualTo("dm:alice:bob");
        assertThat(sent.path("seq").asLong()).isEqualTo(1);
        assertThat(TestNode.json(node.post("/v1/send", alice, send).body())).isEqualTo(sent);
        assertThat(TestNode.json(node.get("/v1/sync", bob).body()).path("head").asLong()).isEqualTo(1);

        HttpResponse<String> reused = node.post("/v1/send", alice,
                "{\"type\":\"send\",\"id\":\"c1\",\"to\":\"bob\",\"body\":\"something else\"}");
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(TestNode.json(reused.body()).path("code").asText()).isEqualTo("conflict");
    }

    @Test
    void theTypeOfAnHttpBodyMayBeLeftOutButNotContradicted() {
        assertThat(node.post("/v1/send", alice, "{\"id\":\"c2\",\"to\":\"bob\",\"body\":\"typeless\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> wrong = node.post("/v1/send", alice, "{\"type\":\"ack\",\"up_to\":1}");
        assertThat(wrong.statusCode()).isEqualTo(400);
    }

    @Test
    void syncAckReadAndHistory() {
        for (int i = 1; i <= 3; i++) {
            node.sendMessage("alice", "bob", "m" + i, "message " + i);
        }
        JsonNode page = TestNode.json(node.get("/v1/sync?since=1&limit=1", bob).body());
        assertThat(page.path("head").asLong()).isEqualTo(3);
        assertThat(page.path("messages")).hasSize(1);
        JsonNode msg = page.path("messages").get(0);
        assertThat(msg.path("seq").asLong()).isEqualTo(2);
        assertThat(msg.path("conv_seq").asLong()).isEqualTo(2);
        assertThat(msg.path("from").asText()).isEqualTo("alice");
        assertThat(msg.path("id").asText()).isEqualTo("m2");
        assertThat(msg.path("ts").asLong()).isPositive();

        assertThat(node.post("/v1/ack", bob, "{\"type\":\"ack\",\"up_to\":3}").statusCode()).isEqualTo(204);
        assertThat(node.post("/v1/read", bob, "{\"type\":\"read\",\"conversation\":\"dm:alice:bob\",\"up_to\":3}")
                .statusCode()).isEqualTo(204);

        HttpResponse<String> history = node.get("/v1/history/dm:alice:bob?before=3&limit=10", bob);
        assertThat(history.statusCode()).isEqualTo(200);
        JsonNode body = TestNode.json(history.body());
        assertThat(body.path("conversation").asText()).isEqualTo("dm:alice:bob");
        assertThat(body.path("messages")).extracting(m -> m.path("conv_seq").asLong()).containsExactly(2L, 1L);
        assertThat(body.path("messages").get(0).has("seq")).isFalse();
        assertThat(TestNode.json(node.get("/v1/history/dm%3Aalice%3Abob", bob).body()).path("messages")).hasSize(3);
    }

    @Test
    void foreignConversationsAreForbidden() {
        node.sendMessage("alice", "bob", "m1", "private");
        String carol = node.token("carol");
        assertThat(status(node.get("/v1/history/dm:alice:bob", carol))).isEqualTo("403 forbidden");
        assertThat(status(node.post("/v1/send", carol,
                "{\"type\":\"send\",\"id\":\"x\",\"conversation\":\"dm:alice:bob\",\"body\":\"intrude\"}")))
                .isEqualTo("403 forbidden");
        assertThat(status(node.post("/v1/read", carol,
                "{\"type\":\"read\",\"conversation\":\"dm:alice:bob\",\"up_to\":1}"))).isEqualTo("403 forbidden");
        assertThat(status(node.get("/v1/sync?user=bob", carol))).isEqualTo("403 forbidden");
    }

    @Test
    void groups() {
        HttpResponse<String> created = node.post("/v1/groups", alice, "{\"group\":\"team\",\"members\":[\"bob\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode group = TestNode.json(created.body());
        assertThat(group.path("group").asText()).isEqualTo("team");
        assertThat(group.path("conversation").asText()).isEqualTo("g:team");
        assertThat(group.path("members")).extracting(JsonNode::asText).containsExactly("alice", "bob");
        assertThat(status(node.post("/v1/groups", bob, "{\"group\":\"team\",\"members\":[]}"))).isEqualTo("409 conflict");

        assertThat(TestNode.json(node.post("/v1/groups/team/members", bob, "{\"user\":\"carol\"}").body())
                .path("members")).hasSize(3);
        assertThat(TestNode.json(node.get("/v1/groups/team", node.token("carol")).body()).path("group").asText())
                .isEqualTo("team");
        HttpResponse<String> removed = node.delete("/v1/groups/team/members/carol", alice);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(removed.body()).path("members")).hasSize(2);
        assertThat(status(node.get("/v1/groups/team", node.token("carol")))).isEqualTo("403 forbidden");
        assertThat(status(node.get("/v1/groups/nothing", alice))).isEqualTo("404 not_found");
        assertThat(status(node.post("/v1/groups", alice, "{\"group\":\"bad group\"}"))).isEqualTo("400 bad_request");
        assertThat(status(node.post("/v1/groups", alice, "{\"members\":[]}"))).isEqualTo("400 bad_request");
        assertThat(status(node.post("/v1/groups", alice, "{\"group\":\"g2\",\"members\":\"bob\"}")))
                .isEqualTo("400 bad_request");
        assertThat(status(node.post("/v1/groups/team/members", alice, "{\"user\":\"..\"}"))).isEqualTo("400 bad_request");
    }

    @Test
    void malformedBodiesAreBadRequests() {
        for (String body : new String[] {"", "not json", "{", "[]", "42", "{\"type\":\"send\"}",
                "{\"type\":\"send\",\"id\":\"x\",\"to\":\"bob\",\"body\":7}",
                "{\"type\":\"send\",\"id\":\"x\",\"to\":\"bob\",\"body\":\"b\",\"format\":\"not a type\"}",
                "{\"type\":\"send\",\"id\":\"\",\"to\":\"bob\",\"body\":\"b\"}",
                "{\"type\":\"send\",\"id\":\"x\",\"to\":\"bob\",\"body\":\"b\"} trailing",
                "{\"type\":\"send\",\"id\":\"x\",\"id\":\"y\",\"to\":\"bob\",\"body\":\"b\"}",
                "{\"type\":\"send\",\"id\":\"x\",\"conversation\":\"dm:bob:alice\",\"body\":\"b\"}"}) {
            HttpResponse<String> response = node.post("/v1/send", alice, body);
            assertThat(status(response)).as(body).isEqualTo("400 bad_request");
        }
        node.post("/v1/groups", alice, "{\"group\":\"team\"}");
        for (String path : new String[] {"/v1/send", "/v1/ack", "/v1/read", "/v1/groups", "/v1/groups/team/members"}) {
            for (String body : new String[] {"", "not json", "{\"a\":", "[1]", "\"text\"", "null",
                    "{\"type\":\"teleport\"}", "{\"type\":\"ping\",\"deep\":" + "[".repeat(500) + "]".repeat(500) + "}"}) {
                assertThat(status(node.post(path, alice, body))).as(path + " " + body).isEqualTo("400 bad_request");
            }
        }
        assertThat(status(node.post("/v1/ack", alice, "{\"type\":\"ack\"}"))).isEqualTo("400 bad_request");
        assertThat(status(node.post("/v1/ack", alice, "{\"type\":\"ack\",\"up_to\":\"3\"}"))).isEqualTo("400 bad_request");
        assertThat(status(node.post("/v1/read", alice, "{\"type\":\"read\",\"up_to\":1}"))).isEqualTo("400 bad_request");
        assertThat(status(node.get("/v1/sync?since=abc", alice))).isEqualTo("400 bad_request");
        assertThat(status(node.get("/v1/sync?limit=0", alice))).isEqualTo("400 bad_request");
        assertThat(status(node.get("/v1/history/not-a-conversation", alice))).isEqualTo("400 bad_request");
        assertThat(status(node.get("/v1/history/dm:alice:bob?before=0", alice))).isEqualTo("400 bad_request");
    }

    @Test
    void bodiesOverTheLimitsAreTooLarge() {
        HttpResponse<String> oversizedRequest = node.post("/v1/send", alice,
                "{\"type\":\"send\",\"id\":\"big\",\"to\":\"bob\",\"body\":\"" + "x".repeat(300 * 1024) + "\"}");
        assertThat(status(oversizedRequest)).isEqualTo("413 too_large");
        HttpResponse<String> oversizedBody = node.post("/v1/send", alice,
                "{\"type\":\"send\",\"id\":\"big\",\"to\":\"bob\",\"body\":\"" + "x".repeat(65 * 1024) + "\"}");
        assertThat(status(oversizedBody)).isEqualTo("413 too_large");
        assertThat(TestNode.json(oversizedBody.body()).path("ref").asText()).isEqualTo("big");
        assertThat(node.post("/v1/send", alice,
                "{\"type\":\"send\",\"id\":\"ok\",\"to\":\"bob\",\"body\":\"" + "x".repeat(64 * 1024) + "\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void badTokensAreUnauthorized() {
        String secret = TestNode.SECRET;
        for (String token : new String[] {Tokens.forged("alice"), Tokens.expired(secret, "alice"),
                Tokens.algNone("alice"), Tokens.hs512(secret, "alice"), Tokens.withoutExpiry(secret, "alice"),
                Tokens.withSubject(secret, "not a user"), "garbage", "a.b.c"}) {
            assertThat(status(node.get("/v1/sync", token))).as(token).isEqualTo("401 unauthorized");
        }
        assertThat(status(node.get("/v1/sync", null))).isEqualTo("401 unauthorized");
        assertThat(node.get("/v1/sync?token=" + alice, null).statusCode()).isEqualTo(200);
        HttpResponse<String> basic = node.send(HttpRequest.newBuilder(node.uri("/v1/sync"))
                .header("Authorization", "Basic YWxpY2U6eA==").build());
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void unknownPathsAndWrongMethods() {
        assertThat(status(node.get("/v1/nothing", alice))).isEqualTo("404 not_found");
        assertThat(status(node.get("/v1/send/", alice))).isEqualTo("404 not_found");
        HttpResponse<String> wrongMethod = node.get("/v1/send", alice);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
        assertThat(TestNode.json(wrongMethod.body()).path("type").asText()).isEqualTo("error");
        assertThat(node.delete("/v1/sync", alice).statusCode()).isEqualTo(405);
    }

    @Test
    void corsPreflightAndHeaders() {
        HttpResponse<String> preflight = node.send(HttpRequest.newBuilder(node.uri("/v1/send"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://chat.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse("").toLowerCase())
                .contains("authorization");
        HttpResponse<String> plain = node.send(HttpRequest.newBuilder(node.uri("/v1/sync"))
                .header("Origin", "https://chat.example").header("Authorization", "Bearer " + alice).build());
        assertThat(plain.headers().firstValue("access-control-allow-origin")).hasValue("*");
        HttpResponse<String> options = node.send(HttpRequest.newBuilder(node.uri("/v1/send"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(options.statusCode()).isEqualTo(204);
    }

    @Test
    void healthReadinessDevTokensAndTheDemoPage() {
        assertThat(node.get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(TestNode.json(node.get("/readyz", null).body()).path("status").asText()).isEqualTo("ready");
        HttpResponse<String> minted = node.post("/v1/dev/token?user=dora", null, "");
        assertThat(minted.statusCode()).isEqualTo(200);
        String token = TestNode.json(minted.body()).path("token").asText();
        assertThat(node.get("/v1/sync", token).statusCode()).isEqualTo(200);
        assertThat(status(node.post("/v1/dev/token?user=no%20one", null, ""))).isEqualTo("400 bad_request");
        assertThat(status(node.post("/v1/dev/token", null, ""))).isEqualTo("400 bad_request");
        HttpResponse<String> page = node.get("/", null);
        assertThat(page.statusCode()).isIn(200, 404);
        if (page.statusCode() == 200) {
            assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        }
    }

    @Test
    void devEndpointsAreNotFoundUnlessEnabled() throws Exception {
        try (TestNode plain = TestNode.start()) {
            assertThat(status(plain.post("/v1/dev/token?user=dora", null, ""))).isEqualTo("404 not_found");
            assertThat(plain.get("/", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void readinessFollowsTheCheck() throws Exception {
        try (TestNode notReady = TestNode.start(b -> b, () -> java.util.concurrent.CompletableFuture.completedFuture(false))) {
            HttpResponse<String> response = notReady.get("/readyz", null);
            assertThat(status(response)).isEqualTo("503 unavailable");
        }
    }

    @Test
    void aConnectionThatNeverCompletesARequestIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /v1/send HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"type\"".getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        try (Socket idle = new Socket("127.0.0.1", node.server.port())) {
            idle.setSoTimeout(10_000);
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.server.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /v1/sync HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice + "\r\n\r\n"
                    + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int sync = answers.indexOf("\"head\"");
            int notFound = answers.indexOf("HTTP/1.1 404");
            int health = answers.indexOf("\"ok\"");
            assertThat(sync).isPositive();
            assertThat(notFound).isGreaterThan(sync);
            assertThat(health).isGreaterThan(notFound);
        }
    }

    @Test
    void malformedHttpIsABadRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(20_000)
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("bad_request");
        }
    }

    private static String status(HttpResponse<String> response) {
        JsonNode body = response.body().isEmpty() ? null : TestNode.json(response.body());
        assertThat(body).as("error body of " + response.statusCode()).isNotNull();
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("message").asText()).isNotEmpty();
        return response.statusCode() + " " + body.path("code").asText();
    }
}
