package dev.pigeon.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.JsonFrameCodec;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The public HTTP API a client uses besides its stream: send, ack, read, sync, and dev tokens. */
final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final FrameCodec JSON = new JsonFrameCodec();

    /** The body of {@code /v1/sync} and {@code /v1/poll}. */
    record InboxPage(List<Frame.Msg> messages, long head) {
        InboxPage {
            messages = List.copyOf(messages);
        }
    }

    private final HttpClient http;
    private final URI server;
    private final Duration timeout;

    HttpApi(HttpClient http, URI server, Duration timeout) {
        this.http = http;
        this.server = server;
        this.timeout = timeout;
    }

    URI uri(String pathAndQuery) {
        return server.resolve(pathAndQuery);
    }

    CompletableFuture<Frame.Sent> send(Frame.Send send, String token) {
        return post("/v1/send", send, token).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw error(response, send.replyRef());
            }
            if (JSON.decodeServer(response.body()) instanceof Frame.Sent sent) {
                return sent;
            }
            throw ProtocolException.badRequest("the server answered a send with something other than sent");
        });
    }

    /** Posts an {@code ack} or {@code read}; a failure is only logged, since the next one covers it. */
    void post(Frame.ClientFrame frame, String token) {
        post("/v1/" + frame.type(), frame, token).thenAccept(response -> {
            if (response.statusCode() / 100 != 2) {
                throw error(response, frame.ref());
            }
        }).exceptionally(failure -> {
            log.debug("{} not delivered: {}", frame.type(), failure.getMessage());
            return null;
        });
    }

    CompletableFuture<InboxPage> sync(long since, int limit, String token) {
        HttpRequest request = authorized(HttpRequest.newBuilder(uri("/v1/sync?since=" + since + "&limit=" + limit)), token)
                .timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw error(response, null);
            }
            return ProtocolJson.read(response.body(), InboxPage.class);
        });
    }

    /** Asks a demo node ({@code POST /v1/dev/token}) for a token; only embedded demo nodes serve it. */
    static CompletableFuture<String> devToken(HttpClient http, URI server, String user) {
        URI uri = server.resolve("/v1/dev/token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw error(response, null);
            }
            try {
                JsonNode token = ProtocolJson.mapper().readTree(response.body()).get("token");
                if (token == null || !token.isTextual()) {
                    throw ProtocolException.badRequest("the dev token answer holds no token");
                }
                return token.textValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return request.header("Authorization", "Bearer " + token);
    }

    private CompletableFuture<HttpResponse<byte[]>> post(String path, Frame.ClientFrame frame, String token) {
        HttpRequest request = authorized(HttpRequest.newBuilder(uri(path)), token).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.encode(frame))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The error an HTTP answer carries: its error frame, or one made from its status. */
    private static ProtocolException error(HttpResponse<byte[]> response, String ref) {
        try {
            if (JSON.decodeServer(response.body()) instanceof Frame.Error error) {
                return new ProtocolException(codeOf(error.code(), response.statusCode()), error.message(), ref);
            }
        } catch (RuntimeException notAnErrorFrame) {
            // a proxy's page, say: the status is all there is
        }
        return new ProtocolException(codeOf(null, response.statusCode()), "HTTP " + response.statusCode(), ref);
    }

    /** A Pigeon error code when the server named one; without it (a proxy's page) only 401 is taken as final. */
    private static ErrorCode codeOf(String wireName, int status) {
        if (wireName != null) {
            try {
                return ErrorCode.fromWireName(wireName);
            } catch (IllegalArgumentException unknown) {
                // fall through to the status
            }
        }
        return status == 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.UNAVAILABLE;
    }
}
