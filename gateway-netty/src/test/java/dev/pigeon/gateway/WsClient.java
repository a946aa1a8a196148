package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtoFrameCodec;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A WebSocket client (the JDK's) that collects every message the server sends and how it closed. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    private static final ProtoFrameCodec PROTO = new ProtoFrameCodec();

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    volatile String closeReason;
    /** While true, the client stops asking for messages: the JDK client then stops reading the socket. */
    private volatile boolean paused;
    private final StringBuilder text = new StringBuilder();
    private final List<ByteBuffer> binary = new ArrayList<>();
    WebSocket socket;

    static WsClient connect(TestNode node, String token, String query, String... subprotocols) {
        return connect(new WsClient(), node, token, query, subprotocols);
    }

    /** A client that reads the first frame (hello) and then nothing until {@link #resume()}. */
    static WsClient connectPaused(TestNode node, String token, String query) {
        WsClient client = new WsClient();
        client.paused = true;
        return connect(client, node, token, query);
    }

    private static WsClient connect(WsClient client, TestNode node, String token, String query,
                                    String... subprotocols) {
        var builder = node.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(node.wsUri("/v1/ws" + query), client).join();
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            texts.add(text.toString());
            text.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        binary.add(copy);
        if (last) {
            int size = binary.stream().mapToInt(ByteBuffer::remaining).sum();
            byte[] bytes = new byte[size];
            int at = 0;
            for (ByteBuffer part : binary) {
                int n = part.remaining();
                part.get(bytes, at, n);
                at += n;
            }
            binary.clear();
            binaries.add(bytes);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** The next JSON frame; fails after 10 s without one. */
    JsonNode next() {
        try {
            String message = texts.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a frame from the server").isNotNull();
            return TestNode.json(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next JSON frame, which must be of {@code type}. */
    JsonNode next(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asText()).as("type of " + frame).isEqualTo(type);
        return frame;
    }

    /** The next binary (protobuf) frame, decoded. */
    Frame.ServerFrame nextProto() {
        try {
            byte[] message = binaries.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a binary frame from the server").isNotNull();
            return PROTO.decodeServer(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void resume() {
        paused = false;
        socket.request(1);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void sendProto(Frame frame) {
        socket.sendBinary(ByteBuffer.wrap(PROTO.encode(frame)), true).join();
    }

    /** The close code the server sent, waiting up to 10 s for it. */
    int awaitClose() {
        return closeCode.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }
}
