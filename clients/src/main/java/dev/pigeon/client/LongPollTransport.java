package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/poll} in a loop, each request resuming after the newest entry the last one returned;
 * the first asks not to wait, so that the session counts as open at once. Sends, acks and read
 * markers go over the HTTP API.
 */
final class LongPollTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(LongPollTransport.class);
    /** How much longer than the server's wait a request may take before it counts as lost. */
    private static final Duration SLACK = Duration.ofSeconds(15);

    private final HttpClient http;
    private final HttpApi api;
    private final Duration wait;
    private final int limit;
    private volatile boolean closed;
    private volatile CompletableFuture<?> pending;
    private Events events;
    private String token;

    LongPollTransport(HttpClient http, HttpApi api, Duration wait, int limit) {
        this.http = http;
        this.api = api;
        this.wait = wait;
        this.limit = limit;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.LONG_POLL;
    }

    @Override
    public void open(Long since, String token, Events events) {
        this.token = token;
        this.events = events;
        poll(since, Duration.ZERO, true);
    }

    private void poll(Long since, Duration wait, boolean first) {
        if (closed) {
            return;
        }
        String query = "/v1/poll?wait=" + wait.toSeconds() + "&limit=" + limit + (since == null ? "" : "&since=" + since);
        HttpRequest request = HttpApi.authorized(HttpRequest.newBuilder(api.uri(query)), token)
                .timeout(wait.plus(SLACK)).GET().build();
        pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            if (closed) {
                return;
            }
            if (failure != null) {
                end(Errors.unwrap(failure));
            } else if (response.statusCode() != 200) {
                end(new TransportRefused("long-poll", response.statusCode()));
            } else {
                answered(since, first, response.body());
            }
        });
    }

    private void answered(Long since, boolean first, byte[] body) {
        HttpApi.InboxPage page;
        try {
            page = ProtocolJson.read(body, HttpApi.InboxPage.class);
        } catch (RuntimeException e) {
            log.warn("a long-poll answer was not an inbox page: {}", e.getMessage());
            end(e);
            return;
        }
        long position = since == null ? page.head() : Math.min(since, page.head());
        if (first) {
            events.opened(position);
        } else {
            events.activity();
        }
        long next = position;
        for (Frame.Msg msg : page.messages()) {
            events.frame(msg);
            next = Math.max(next, msg.seq());
        }
        poll(next, wait, false);
    }

    @Override
    public CompletableFuture<Frame.Sent> send(Frame.Send send) {
        return api.send(send, token);
    }

    @Override
    public void request(Frame.ClientFrame frame) {
        api.post(frame, token);
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> current = pending;
        if (current != null) {
            current.cancel(true);
        }
    }

    private void end(Throwable cause) {
        if (!closed) {
            closed = true;
            events.closed(cause);
        }
    }
}
