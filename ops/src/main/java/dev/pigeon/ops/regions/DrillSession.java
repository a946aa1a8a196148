package dev.pigeon.ops.regions;

import dev.pigeon.client.TextMessageListener;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.JsonFrameCodec;
import dev.pigeon.protocol.ProtocolException;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket session ({@code pigeon.v1.json}) of one drill user to one node, on the JDK's client.
 * Tells its listener of the {@code hello}, every other server frame, and its end, once.
 */
final class DrillSession extends TextMessageListener {
    static final String SUBPROTOCOL = "pigeon.v1.json";
    private static final JsonFrameCodec JSON = new JsonFrameCodec();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Called on the client's threads, one call at a time per session. */
    interface Listener {
        void opened(DrillSession session, Frame.Hello hello);

        void received(DrillSession session, Frame.ServerFrame frame);

        /** The session ended, or never opened; not called after {@link #close()}. */
        void ended(DrillSession session, String why);
    }

    private final NodeEndpoints endpoint;
    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The JDK client takes one outgoing message at a time: each write waits for the one before. */
    private CompletableFuture<WebSocket> lastWrite;

    DrillSession(NodeEndpoints endpoint, Listener listener) {
        this.endpoint = endpoint;
        this.listener = listener;
    }

    /**
     * Starts connecting as the user of {@code token}, resuming after inbox position {@code since}. A
     * connection that fails at once is reported before this returns.
     */
    void open(HttpClient http, String token, long since) {
        CompletableFuture<WebSocket> connected = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .subprotocols(SUBPROTOCOL)
                .connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(DrillUrls.wsSince(endpoint, since), this);
        synchronized (this) {
            lastWrite = connected;
        }
        connected.whenComplete((ws, failure) -> {
            if (failure != null) {
                end("connect failed: " + cause(failure));
            }
        });
    }

    NodeEndpoints endpoint() {
        return endpoint;
    }

    synchronized void send(Frame.ClientFrame frame) {
        String json = new String(JSON.encode(frame), StandardCharsets.UTF_8);
        lastWrite = lastWrite.thenCompose(ws -> ws.sendText(json, true));
        lastWrite.whenComplete((ws, failure) -> {
            if (failure != null) {
                end("write failed: " + cause(failure));
            }
        });
    }

    /** Ends the session with a close frame, quietly: the listener hears nothing more. */
    synchronized void close() {
        ended.set(true);
        if (lastWrite == null) {
            return;
        }
        lastWrite.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((done, failure) -> ws.abort()));
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end("closed " + statusCode);
        webSocket.abort();  // the session is over for the drill: free the connection now
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end("connection error: " + cause(error));
    }

    @Override
    protected void received(String json) {
        if (ended.get()) {
            return;
        }
        Frame.ServerFrame frame;
        try {
            frame = JSON.decodeServer(json.getBytes(StandardCharsets.UTF_8));
        } catch (ProtocolException e) {
            listener.received(this, new Frame.Error("unreadable_frame", e.getMessage(), null));
            return;
        }
        if (frame instanceof Frame.Hello hello) {
            listener.opened(this, hello);
        } else {
            listener.received(this, frame);
        }
    }

    private void end(String why) {
        if (ended.compareAndSet(false, true)) {
            listener.ended(this, why);
        }
    }

    /** The root cause in a few words: the kind of failure, not a stack trace. */
    private static String cause(Throwable failure) {
        Throwable root = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
