package dev.pigeon.ops.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Creates a run's group through the public HTTP API of PROTOCOL.md: {@code POST /v1/groups}. */
final class GroupCreator {
    private static final String WS_PATH = "/v1/ws";
    private static final String GROUPS_PATH = "/v1/groups";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private GroupCreator() {
    }

    /**
     * The {@code /v1/groups} endpoint of the gateway serving WebSocket endpoint {@code wsUrl}: plain
     * http to the same host and port, under the same path prefix (a proxy may serve Pigeon below one).
     */
    static URI groupsEndpoint(URI wsUrl) {
        String path = wsUrl.getRawPath() == null ? "" : wsUrl.getRawPath();
        String prefix = path.endsWith(WS_PATH) ? path.substring(0, path.length() - WS_PATH.length()) : "";
        return URI.create("http://" + wsUrl.getRawAuthority() + prefix + GROUPS_PATH);
    }

    /**
     * Creates {@code group} as the user of {@code token}, who becomes a member by that, with
     * {@code members} besides; returns the members the server reports, the creator included.
     *
     * @throws IOException when the gateway cannot be reached or does not answer 201
     */
    static List<String> create(URI wsUrl, String token, String group, List<String> members)
            throws IOException, InterruptedException {
        URI endpoint = groupsEndpoint(wsUrl);
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new CreateGroup(group, members))))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + endpoint + " to create group " + group + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        CreatedGroup created = JSON.readValue(response.body(), CreatedGroup.class);
        return created.members() == null ? List.of() : created.members();
    }

    record CreateGroup(String group, List<String> members) {
    }

    record CreatedGroup(String group, String conversation, List<String> members) {
    }
}
