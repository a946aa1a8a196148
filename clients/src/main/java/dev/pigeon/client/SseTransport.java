package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.JsonFrameCodec;
import dev.pigeon.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@code GET /v1/sse} read as a stream of lines; sends, acks and read markers go over the HTTP API.
 * Events are parsed as the SSE format says (fields, comments, an event per blank line); an event
 * that is not a frame is logged and skipped.
 */
final class SseTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SseTransport.class);
    private static final FrameCodec JSON = new JsonFrameCodec();

    private final HttpClient http;
    private final HttpApi api;
    private volatile Events events;
    private volatile boolean closed;
    private volatile Flow.Subscription subscription;
    private String token;

    SseTransport(HttpClient http, HttpApi api) {
        this.http = http;
        this.api = api;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.SSE;
    }

    @Override
    public void open(Long since, String token, Events events) {
        this.token = token;
        this.events = events;
        HttpRequest request = HttpApi.authorized(HttpRequest.newBuilder(api.uri(since == null ? "/v1/sse"
                        : "/v1/sse?since=" + since)), token)
                .header("Accept", "text/event-stream").GET().build();
        http.sendAsync(request, this::body).whenComplete((response, failure) -> {
            if (failure != null) {
                end(Errors.unwrap(failure));
            } else if (response.statusCode() != 200) {
                end(new TransportRefused("SSE", response.statusCode()));
            } else {
                end(null); // the server ended the stream (rotation, restart): resume
            }
        });
    }

    private HttpResponse.BodySubscriber<Void> body(HttpResponse.ResponseInfo info) {
        boolean eventStream = info.statusCode() == 200 && info.headers().firstValue("Content-Type")
                .map(type -> type.startsWith("text/event-stream")).orElse(false);
        if (!eventStream) {
            if (info.statusCode() == 200) {
                end(new TransportRefused("SSE (not an event stream)", 200));
            }
            return HttpResponse.BodySubscribers.replacing(null);
        }
        return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
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
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    private void end(Throwable cause) {
        if (!closed) {
            closed = true;
            events.closed(cause);
        }
    }

    private void dispatch(String id, String event, String data) {
        if (data == null) {
            return; // an event without data is not dispatched (the SSE rule)
        }
        Frame.ServerFrame frame;
        try {
            frame = JSON.decodeServer(data.getBytes(StandardCharsets.UTF_8));
        } catch (ProtocolException e) {
            log.warn("ignoring a malformed '{}' event from the server: {}", event, e.getMessage());
            events.activity();
            return;
        }
        if (frame instanceof Frame.Hello) {
            try {
                events.opened(Long.parseLong(id));
            } catch (NumberFormatException | NullPointerException e) {
                end(new java.io.IOException("the hello event carries no position"));
            }
        } else {
            events.frame(frame);
        }
    }

    /** One event stream: lines in, events out. */
    private final class Lines implements Flow.Subscriber<String> {
        private String id;
        private String event;
        private StringBuilder data;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            if (closed) {
                return;
            }
            if (line.isEmpty()) {
                dispatch(id, event, data == null ? null : data.toString());
                id = null;
                event = null;
                data = null;
                return;
            }
            if (line.startsWith(":")) {
                events.activity();
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // retry and unknown fields: nothing to do
            }
        }

        @Override
        public void onError(Throwable failure) {
            end(failure);
        }

        @Override
        public void onComplete() {
            // the response future completes too and ends the session
        }
    }
}
