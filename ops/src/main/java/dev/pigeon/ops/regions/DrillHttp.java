package dev.pigeon.ops.regions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The drill's HTTP calls to the nodes, as PROTOCOL.md has them: creating the group, reading a
 * conversation's whole history and a user's whole inbox page by page, and the admin levers of a
 * failover and a reconciliation.
 */
final class DrillHttp {
    /** The most a history or sync page may hold (PROTOCOL.md). */
    static final int LARGEST_PAGE = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final int page;
    private final ObjectMapper json = new ObjectMapper();

    /** @param page how many entries to ask for per history or sync page */
    DrillHttp(HttpClient http, int page) {
        if (page < 1 || page > LARGEST_PAGE) {
            throw new IllegalArgumentException("a page holds 1 to " + LARGEST_PAGE + " entries, not " + page);
        }
        this.http = http;
        this.page = page;
    }

    /** Creates {@code group} as the user of {@code token}; returns the members the node reports. */
    List<String> createGroup(NodeEndpoints node, String token, String group, List<String> members)
            throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("group", group, "members", members));
        JsonNode created = call(HttpRequest.newBuilder(DrillUrls.http(node, "/v1/groups")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), status -> status == 201);
        List<String> reported = new ArrayList<>();
        created.path("members").forEach(member -> reported.add(member.asText()));
        return reported;
    }

    /** Every entry of {@code conversation}'s history, newest first, read as the member of {@code token}. */
    List<LogEntry> history(NodeEndpoints node, String token, String conversation)
            throws IOException, InterruptedException {
        List<LogEntry> entries = new ArrayList<>();
        String path = "/v1/history/" + conversation;  // the id alphabet needs no escaping in a path
        Long before = null;
        while (true) {
            URI uri = DrillUrls.http(node, path + "?limit=" + page + (before == null ? "" : "&before=" + before));
            JsonNode answer = get(uri, token);
            long oldest = Long.MAX_VALUE;
            int count = 0;
            for (JsonNode entry : answer.path("messages")) {
                LogEntry logged = new LogEntry(entry.path("conversation").asText(), entry.path("conv_seq").asLong(),
                        entry.path("from").asText(), entry.path("id").asText(), entry.path("body").asText(),
                        entry.hasNonNull("format") ? entry.get("format").asText() : null, entry.path("ts").asLong());
                entries.add(logged);
                oldest = Math.min(oldest, logged.convSeq());
                count++;
            }
            if (count < page || oldest <= 1 || (before != null && oldest >= before)) {
                return entries;
            }
            before = oldest;
        }
    }

    /** The whole inbox of the user of {@code token}, oldest first. */
    List<Frame.Msg> inbox(NodeEndpoints node, String token) throws IOException, InterruptedException {
        List<Frame.Msg> entries = new ArrayList<>();
        long since = 0;
        while (true) {
            JsonNode answer = get(DrillUrls.http(node, "/v1/sync?since=" + since + "&limit=" + page), token);
            long newest = since;
            for (JsonNode entry : answer.path("messages")) {
                Frame.Msg msg = new Frame.Msg(entry.path("seq").asLong(), entry.path("conversation").asText(),
                        entry.path("conv_seq").asLong(), entry.path("from").asText(), entry.path("id").asText(),
                        entry.path("body").asText(), entry.hasNonNull("format") ? entry.get("format").asText() : null,
                        entry.path("ts").asLong());
                entries.add(msg);
                newest = Math.max(newest, msg.seq());
            }
            if (newest == since || newest >= answer.path("head").asLong()) {
                return entries;
            }
            since = newest;
        }
    }

    /** {@code POST path} on the admin port; returns the 2xx answer's JSON (an empty object when it had no body). */
    JsonNode admin(NodeEndpoints node, String adminToken, String path) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(DrillUrls.admin(node, path)).timeout(ADMIN_TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), status -> status / 100 == 2);
    }

    private JsonNode get(URI uri, String token) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                .GET().build(), status -> status == 200);
    }

    private JsonNode call(HttpRequest request, IntPredicate expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (!expected.test(response.statusCode())) {
            throw new DrillHttpException(request.method() + " " + request.uri(), response.statusCode(), response.body());
        }
        String body = response.body();
        return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    }
}
