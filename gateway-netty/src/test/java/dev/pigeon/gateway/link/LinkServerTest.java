package dev.pigeon.gateway.link;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.ProtocolJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The link's server as any HTTP client sees it: the gate, the routes and every kind of bad request. */
class LinkServerTest {
    private static final String[] PATHS = {"/link/v1/send", "/link/v1/place", "/link/v1/deliver", "/link/v1/ack",
            "/link/v1/read", "/link/v1/forget-home", "/link/v1/standing", "/link/v1/nothing", "/"};
    private static final String AUTHORIZED = "Bearer " + LinkServers.SECRET;
    private static final String SEND = "{\"sender\":\"alice\",\"send\":{\"type\":\"send\",\"id\":\"m-1\","
            + "\"conversation\":\"dm:alice:bob\",\"body\":\"hi\"}}";

    private final RecordingCalls calls = new RecordingCalls();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private LinkServer server;

    @BeforeEach
    void start() {
        server = LinkServers.start(calls, Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void everyRequestNeedsTheSecret() {
        for (String path : PATHS) {
            for (String authorization : new String[] {null, "", "Bearer", "Bearer ", "Bearer wrong",
                    "bearer " + LinkServers.SECRET, AUTHORIZED + "x", "Basic " + LinkServers.SECRET}) {
                for (String method : new String[] {"GET", "POST"}) {
                    HttpResponse<String> response = request(method, path, authorization, SEND);
                    assertThat(response.statusCode()).as(method + " " + path + " with " + authorization).isEqualTo(401);
                    assertError(response, "unauthorized", "the link secret is required");
                }
            }
        }
        assertThat(calls.calls).isEmpty();
    }

    @Test
    void theSecretOpensEveryRoute() {
        assertThat(post("/link/v1/send", SEND).statusCode()).isEqualTo(200);
        assertThat(json(post("/link/v1/send", SEND).body()).path("type").asText()).isEqualTo("sent");
        assertThat(json(post("/link/v1/place", "{\"conversation\":\"g:t\",\"entries\":[]}").body()))
                .isEqualTo(json("{\"mark\":7,\"seqs\":{\"bob\":12,\"carol\":3}}"));
        assertThat(post("/link/v1/deliver", "{\"deliveries\":[]}").statusCode()).isEqualTo(204);
        assertThat(post("/link/v1/ack", "{\"user\":\"a\",\"device\":\"d\",\"up_to\":1}").statusCode()).isEqualTo(204);
        assertThat(post("/link/v1/read", "{\"user\":\"a\",\"conversation\":\"g:t\",\"up_to\":1}").statusCode())
                .isEqualTo(204);
        assertThat(post("/link/v1/forget-home", "{\"kind\":\"USER\",\"id\":\"a\"}").statusCode()).isEqualTo(204);
        HttpResponse<String> standing = request("GET", "/link/v1/standing", AUTHORIZED, null);
        assertThat(standing.statusCode()).isEqualTo(200);
        assertThat(standing.body()).isEqualTo("{\"region\":\"eu\",\"lost_regions\":[\"ap\",\"us\"],"
                + "\"nodes\":[\"eu-1\",\"eu-2\"]}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // not JSON, or not the JSON a route takes
            "/link/v1/send        | ``                                       | a JSON body is required",
            "/link/v1/send        | not json                                 | malformed JSON",
            "/link/v1/send        | []                                       | must be a JSON object",
            "/link/v1/send        | {\"sender\":\"alice\"} trailing          | malformed JSON",
            "/link/v1/send        | {\"sender\":\"a\",\"sender\":\"b\"}      | malformed JSON",
            "/link/v1/send        | {\"send\":{\"type\":\"send\",\"id\":\"m\",\"conversation\":\"g:t\",\"body\":\"\"}} | sender is required",
            "/link/v1/send        | {\"sender\":5,\"send\":{}}               | at sender",
            "/link/v1/send        | {\"sender\":\"alice\"}                   | send is required",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":[]}       | at send",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":{\"id\":\"m\"}} | type is required",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":{\"type\":\"ack\",\"up_to\":1}} | expected a Send frame",
            // ids and values by the protocol's rules
            "/link/v1/send        | {\"sender\":\"a b\",\"send\":{\"type\":\"send\",\"id\":\"m\",\"conversation\":\"g:t\",\"body\":\"\"}} | sender is not a valid id",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":{\"type\":\"send\",\"id\":\"m\",\"conversation\":\"dm:b:a\",\"body\":\"\"}} | conversation is not a valid",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":{\"type\":\"send\",\"id\":\"\",\"conversation\":\"g:t\",\"body\":\"\"}} | id must be 1 to 64",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":{\"type\":\"send\",\"id\":\"m\",\"conversation\":\"g:t\"}} | body is required",
            "/link/v1/send        | {\"sender\":\"alice\",\"send\":{\"type\":\"send\",\"id\":\"m\",\"conversation\":\"g:t\",\"body\":\"\",\"format\":\"bad\"}} | format must be",
            "/link/v1/place       | {\"entries\":[]}                         | conversation is required",
            "/link/v1/place       | {\"conversation\":\"g:t\"}               | entries is required",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":{}} | at entries",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":[{\"conversation\":\"g:t\"}]} | conv_seq is required",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":[{\"conversation\":\"g:t\",\"conv_seq\":1.5,\"from\":\"a\",\"id\":\"m\",\"body\":\"\",\"ts\":1}]} | at entries[0]",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":[{\"conversation\":\"g:u\",\"conv_seq\":1,\"from\":\"a\",\"id\":\"m\",\"body\":\"\",\"ts\":1}]} | entries[0] belongs to another conversation",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":[{\"conversation\":\"g:t\",\"conv_seq\":0,\"from\":\"a\",\"id\":\"m\",\"body\":\"\",\"ts\":1}]} | entries[0].conv_seq must be at least 1",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":[{\"conversation\":\"g:t\",\"conv_seq\":1,\"from\":\"..\",\"id\":\"m\",\"body\":\"\",\"ts\":1}]} | entries[0].from is not a valid id",
            "/link/v1/place       | {\"conversation\":\"g:t\",\"entries\":[{\"conversation\":\"g:t\",\"conv_seq\":1,\"from\":\"a\",\"id\":\"m\",\"body\":\"\",\"ts\":1},{\"conversation\":\"g:t\",\"conv_seq\":3,\"from\":\"a\",\"id\":\"n\",\"body\":\"\",\"ts\":1}]} | entries[1] is not",
            "/link/v1/deliver     | {}                                       | deliveries is required",
            "/link/v1/deliver     | {\"deliveries\":[5]}                     | deliveries[0] is not a delivery",
            "/link/v1/deliver     | {\"deliveries\":[{\"user\":\"bob\",\"kind\":\"teleport\"}]} | deliveries[0] is not a delivery",
            "/link/v1/deliver     | {\"deliveries\":[{\"user\":\"b b\",\"kind\":\"disconnect\"}]} | deliveries[0].user is not a valid id",
            "/link/v1/deliver     | {\"deliveries\":[{\"user\":\"bob\",\"kind\":\"receipt\",\"receipt\":{\"type\":\"receipt\",\"conversation\":\"x\",\"user\":\"a\",\"read_up_to\":1}}]} | deliveries[0].receipt.conversation is not a valid",
            "/link/v1/ack         | {\"user\":\"a\",\"device\":\"d\"}        | up_to is required",
            "/link/v1/ack         | {\"user\":\"a\",\"device\":\"d\",\"up_to\":\"5\"} | at up_to",
            "/link/v1/ack         | {\"user\":\"a\",\"device\":\"d\",\"up_to\":-1} | up_to must not be negative",
            "/link/v1/ack         | {\"user\":\"a\",\"device\":\"\",\"up_to\":1} | device must be 1 to 64",
            "/link/v1/ack         | {\"user\":\"a\",\"up_to\":1}             | device is required",
            "/link/v1/read        | {\"user\":\"a\",\"conversation\":\"dm:a\",\"up_to\":1} | conversation is not a valid",
            "/link/v1/read        | {\"conversation\":\"g:t\",\"up_to\":1}   | user is required",
            "/link/v1/forget-home | {\"kind\":\"GROUP\",\"id\":\"a\"}        | kind must be USER or CONVERSATION",
            "/link/v1/forget-home | {\"kind\":\"USER\",\"id\":\"g:t\"}       | id is not a valid id",
            "/link/v1/forget-home | {\"kind\":\"CONVERSATION\",\"id\":\"a\"} | id is not a valid conversation id",
            "/link/v1/forget-home | {\"kind\":\"USER\"}                      | id is required",
            "/link/v1/sessions    | {}                                       | users is required",
            "/link/v1/sessions    | {\"users\":[\"a\",\"..\"]}               | users[1] is not a valid id",
            "/link/v1/sessions    | {\"users\":\"a\"}                      | at users",
    })
    void malformedRequestsAreBadRequestsThatCallNothing(String path, String body, String message) {
        HttpResponse<String> response = post(path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response.body()).path("code").asText()).isEqualTo("bad_request");
        assertThat(json(response.body()).path("message").asText()).contains(message);
        assertThat(calls.calls).isEmpty();
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefused() {
        HttpResponse<String> unknown = post("/link/v1/teleport", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertError(unknown, "not_found", "no such path: /link/v1/teleport");

        HttpResponse<String> getSend = request("GET", "/link/v1/send", AUTHORIZED, null);
        assertThat(getSend.statusCode()).isEqualTo(405);
        assertThat(getSend.headers().firstValue("allow")).contains("POST");
        assertThat(json(getSend.body()).path("code").asText()).isEqualTo("bad_request");

        assertThat(post("/link/v1/standing", "{}").statusCode()).isEqualTo(405);
        assertThat(calls.calls).isEmpty();
    }

    @Test
    void aBodyOverFourMebibytesIsTooLarge() {
        String huge = "{\"deliveries\":[],\"pad\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";

        HttpResponse<String> response = post("/link/v1/deliver", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response.body()).path("code").asText()).isEqualTo("too_large");
        assertThat(calls.calls).isEmpty();
        assertThat(post("/link/v1/deliver", "{\"deliveries\":[],\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}")
                .statusCode()).as("a large body under the limit").isEqualTo(204);
    }

    @Test
    void aSendOverTheBodyLimitIsTooLarge() {
        String body = "x".repeat(64 * 1024 + 1);
        HttpResponse<String> response = post("/link/v1/send", "{\"sender\":\"alice\",\"send\":{\"type\":\"send\","
                + "\"id\":\"m-1\",\"conversation\":\"g:t\",\"body\":\"" + body + "\"}}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response.body()).path("code").asText()).isEqualTo("too_large");
        assertThat(json(response.body()).path("ref").asText()).isEqualTo("m-1");
        assertThat(calls.calls).isEmpty();
    }

    @Test
    void failuresOfTheCallsAreAnsweredNeverLeftHanging() {
        calls.outcome = () -> CompletableFuture.failedFuture(new IllegalStateException("bug"));
        HttpResponse<String> fault = post("/link/v1/send", SEND);
        assertThat(fault.statusCode()).isEqualTo(500);
        assertError(fault, "unavailable", "internal error; retry later");

        calls.outcome = () -> {
            throw new IllegalStateException("thrown");
        };
        assertThat(post("/link/v1/send", SEND).statusCode()).isEqualTo(500);

        calls.outcome = () -> null;
        assertThat(post("/link/v1/send", SEND).statusCode()).isEqualTo(500);

        calls.outcome = CompletableFuture::new;
        HttpResponse<String> stuck = post("/link/v1/send", SEND);
        assertThat(stuck.statusCode()).isEqualTo(503);
        assertThat(json(stuck.body()).path("code").asText()).isEqualTo("unavailable");

        assertThat(calls.calls).hasSize(4);
    }

    private HttpResponse<String> post(String path, String body) {
        return request("POST", path, AUTHORIZED, body);
    }

    private HttpResponse<String> request(String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(LinkServers.url(server) + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertError(HttpResponse<String> response, String code, String message) {
        JsonNode error = json(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isEqualTo(message);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
    }

    private static JsonNode json(String text) {
        try {
            return ProtocolJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
