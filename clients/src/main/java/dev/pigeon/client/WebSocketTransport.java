package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.JsonFrameCodec;
import dev.pigeon.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@code GET /v1/ws} with the {@code pigeon.v1.json} subprotocol, on the JDK's WebSocket client. */
final class WebSocketTransport extends TextMessageListener implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);
    private static final FrameCodec JSON = new JsonFrameCodec();
    private static final String SUBPROTOCOL = "pigeon.v1.json";
    /** Close codes by which the server ends a session on purpose (restart, admin disconnect, token expiry). */
    private static final Set<Integer> DELIBERATE_CLOSES = Set.of(WebSocket.NORMAL_CLOSURE, 1001, 1012, 4000, 4401);

    private final HttpClient http;
    private final HttpApi api;
    private final Duration connectTimeout;
    /** Sends waiting for their {@code sent}, by reply ref. */
    private final Map<String, CompletableFuture<Frame.Sent>> waiting = new ConcurrentHashMap<>();
    private volatile Events events;
    private volatile boolean closed;
    private Long since;
    private WebSocket socket;
    /** The JDK client takes one outgoing message at a time: each send waits for the one before. */
    private CompletableFuture<WebSocket> lastWrite;

    WebSocketTransport(HttpClient http, HttpApi api, Duration connectTimeout) {
        this.http = http;
        this.api = api;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.WEBSOCKET;
    }

    @Override
    public void open(Long since, String token, Events events) {
        this.since = since;
        this.events = events;
        String path = since == null ? "/v1/ws" : "/v1/ws?since=" + since;
        String wsUri = api.uri(path).toString().replaceFirst("^http", "ws");
        lastWrite = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .subprotocols(SUBPROTOCOL)
                .connectTimeout(connectTimeout)
                .buildAsync(java.net.URI.create(wsUri), this)
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        end(refusal(failure));
                    } else {
                        synchronized (this) {
                            socket = ws;
                        }
                        if (closed) {
                            ws.abort();
                        }
                    }
                });
    }

    @Override
    public CompletableFuture<Frame.Sent> send(Frame.Send send) {
        CompletableFuture<Frame.Sent> sent = new CompletableFuture<>();
        waiting.put(send.replyRef(), sent);
        write(send).exceptionally(failure -> {
            waiting.remove(send.replyRef(), sent);
            sent.completeExceptionally(failure);
            return null;
        });
        return sent;
    }

    @Override
    public void request(Frame.ClientFrame frame) {
        write(frame);
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws;
        synchronized (this) {
            ws = socket;
        }
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((done, failure) -> ws.abort());
        }
        failWaiting(new IOException("the WebSocket was closed"));
    }

    private synchronized CompletableFuture<WebSocket> write(Frame.ClientFrame frame) {
        String json = new String(JSON.encode(frame), StandardCharsets.UTF_8);
        lastWrite = lastWrite.thenCompose(ws -> ws.sendText(json, true));
        return lastWrite;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        log.warn("ignoring a binary WebSocket message on a {} session", SUBPROTOCOL);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // the JDK client answers with a pong itself
        events.activity();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(DELIBERATE_CLOSES.contains(statusCode) ? null
                : new IOException("WebSocket closed with " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(error);
    }

    @Override
    protected void received(String json) {
        Frame.ServerFrame frame;
        try {
            frame = JSON.decodeServer(json.getBytes(StandardCharsets.UTF_8));
        } catch (ProtocolException e) {
            log.warn("ignoring a malformed frame from the server: {}", e.getMessage());
            events.activity();
            return;
        }
        if (frame instanceof Frame.Hello hello) {
            events.opened(since == null ? hello.head() : Math.min(since, hello.head()));
        } else if (frame instanceof Frame.Sent sent && answer(sent.ref(), sent, null)) {
            events.activity();
        } else if (frame instanceof Frame.Error error && error.ref() != null
                && answer(error.ref(), null, new ProtocolException(Errors.code(error), error.message(), error.ref()))) {
            events.activity();
        } else {
            events.frame(frame);
        }
    }

    private boolean answer(String ref, Frame.Sent sent, ProtocolException error) {
        CompletableFuture<Frame.Sent> send = ref == null ? null : waiting.remove(ref);
        if (send == null) {
            return false;
        }
        if (error == null) {
            send.complete(sent);
        } else {
            send.completeExceptionally(error);
        }
        return true;
    }

    private void end(Throwable cause) {
        failWaiting(new IOException("the WebSocket ended", cause));
        if (!closed) {
            closed = true;
            events.closed(cause);
        }
    }

    private void failWaiting(IOException failure) {
        waiting.values().forEach(send -> send.completeExceptionally(failure));
        waiting.clear();
    }

    private static Throwable refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException handshake) {
            return new TransportRefused("WebSocket upgrade", handshake.getResponse().statusCode());
        }
        return cause;
    }
}
