package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.UserId;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Pigeon client for one user on one device: keeps a session open over the best transport that
 * works (WebSocket, else Server-Sent Events with HTTP sends, else long-poll), hands every inbox entry
 * to the {@link PigeonListener} exactly once and in order, and sends messages through a queue kept on
 * local disk, so that what is written while offline, or before a crash, goes out in order and once.
 *
 * <pre>{@code
 * try (PigeonClient client = PigeonClient.builder()
 *         .server(URI.create("http://localhost:8080")).user("alice").token(token)
 *         .stateDir(Path.of("state")).listener(listener).build()) {
 *     client.connect();
 *     client.sendTo("bob", "hello").join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Listener callbacks run on the client's own event thread.
 */
public final class PigeonClient implements AutoCloseable {
    private final ClientEngine engine;

    private PigeonClient(ClientEngine engine) {
        this.engine = engine;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts connecting (and reconnecting, until {@link #close()}); returns at once. */
    public PigeonClient connect() {
        engine.start();
        return this;
    }

    /**
     * Queues a text message for a conversation ({@code dm:a:b} or {@code g:group}) durably, and returns
     * a future of its {@code sent}.
     *
     * @throws dev.pigeon.protocol.ProtocolException {@code too_large} for a body over the limit,
     *                                               {@code bad_request} for anything else invalid; nothing is queued then
     */
    public CompletableFuture<Frame.Sent> send(String conversation, String body) {
        return send(new Frame.Send(null, null, conversation, null, body, null));
    }

    /** Queues a direct message to {@code user}; see {@link #send(String, String)}. */
    public CompletableFuture<Frame.Sent> sendTo(String user, String body) {
        return send(new Frame.Send(null, null, null, user, body, null));
    }

    /**
     * Queues any {@code send} frame; an id is generated when it has none. Sending again with the id of
     * an earlier message never creates a second one (the server de-duplicates).
     */
    public CompletableFuture<Frame.Sent> send(Frame.Send send) {
        return engine.send(send);
    }

    /**
     * Moves this user's read marker in {@code conversation} to {@code upTo} (a {@code conv_seq}). While
     * offline, the newest marker per conversation waits in the state directory (so it outlives the
     * process) and goes out once a session opens.
     */
    public void read(String conversation, long upTo) {
        engine.read(conversation, upTo);
    }

    public ConnectionState state() {
        return engine.state();
    }

    /** The newest inbox {@code seq} handed to the listener (0 before any). */
    public long position() {
        return engine.position();
    }

    /** Sends still waiting for their {@code sent}, oldest first. */
    public List<Frame.Send> queued() {
        return engine.queued();
    }

    public String user() {
        return engine.user();
    }

    /**
     * Closes the session and the state directory. Queued sends stay on disk for the next client of
     * this user and device; their futures fail with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Stops as if the process had crashed: nothing more is saved, sent or told to the listener. */
    void abandon() {
        engine.abandon();
    }

    /** Builds a {@link PigeonClient}: {@code server}, {@code user} and a token source are required. */
    public static final class Builder {
        private URI server;
        private String user;
        private String device = "default";
        private Function<HttpClient, CompletableFuture<String>> tokens;
        private Path stateDir = Path.of(System.getProperty("user.home"), ".pigeon", "clients");
        private List<TransportKind> transports = List.of(TransportKind.values());
        private PigeonListener listener = new PigeonListener() { };
        private boolean startAtHead;
        private Duration backoffBase = Duration.ofMillis(250);
        private Duration backoffMax = Duration.ofSeconds(30);
        private int failuresBeforeFallback = 3;
        private Duration cutWindow = Duration.ofSeconds(60);
        private Duration retryBetterAfter = Duration.ofMinutes(2);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(65);
        private Duration pollWait = Duration.ofSeconds(25);
        private Duration ackDelay = Duration.ofMillis(250);
        private FrameValidator.Limits limits = FrameValidator.Limits.DEFAULTS;

        private Builder() {
        }

        /** The node's public base URL, e.g. {@code http://localhost:8080}. */
        public Builder server(URI server) { this.server = server; return this; }

        /** The user the token is for (the token's {@code sub}). */
        public Builder user(String user) { this.user = user; return this; }

        /** This device's name: one state directory (queue, position) per user and device. */
        public Builder device(String device) { this.device = device; return this; }

        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            this.tokens = http -> CompletableFuture.completedFuture(token);
            return this;
        }

        /** Asked for a token before every connection attempt (so an expired one is replaced); may block. */
        public Builder tokenSupplier(Supplier<String> supplier) {
            Objects.requireNonNull(supplier, "supplier");
            this.tokens = http -> CompletableFuture.supplyAsync(supplier);
            return this;
        }

        /** Fetches tokens from an embedded demo node's {@code POST /v1/dev/token} (demo nodes only). */
        public Builder devTokens() {
            this.tokens = http -> HttpApi.devToken(http, server, user);
            return this;
        }

        /** The root of the client state; this user's and device's live in {@code <dir>/<user>/<device>}. */
        public Builder stateDir(Path dir) { this.stateDir = dir; return this; }

        /** The transports to use, best first; default WebSocket, SSE, long-poll. */
        public Builder transports(TransportKind... kinds) { this.transports = List.of(kinds); return this; }

        public Builder listener(PigeonListener listener) { this.listener = listener; return this; }

        /**
         * A device with no saved position starts at the inbox head (only new messages) instead of
         * replaying the whole inbox from the first entry (the default).
         */
        public Builder startAtHead(boolean startAtHead) { this.startAtHead = startAtHead; return this; }

        /** Reconnect delays: exponential from {@code base}, capped at {@code max}, with full jitter. */
        public Builder backoff(Duration base, Duration max) { backoffBase = base; backoffMax = max; return this; }

        /** Failed attempts in a row, or cuts within {@code window}, before stepping down to the next transport. */
        public Builder fallbackAfter(int failures, Duration window) {
            failuresBeforeFallback = failures;
            cutWindow = window;
            return this;
        }

        /** How long a session on a lesser transport lasts before the best one is tried again. */
        public Builder retryBetterAfter(Duration after) { retryBetterAfter = after; return this; }

        public Builder connectTimeout(Duration timeout) { connectTimeout = timeout; return this; }

        /** How long a send or sync request may take before it counts as lost. */
        public Builder requestTimeout(Duration timeout) { requestTimeout = timeout; return this; }

        /** A session from which nothing (not even a keepalive) arrives for this long is taken as dead. */
        public Builder idleTimeout(Duration timeout) { idleTimeout = timeout; return this; }

        /** How long one long-poll request waits on the server. */
        public Builder pollWait(Duration wait) { pollWait = wait; return this; }

        /** Body size limit checked before queueing; the server's default unless it was configured otherwise. */
        public Builder limits(FrameValidator.Limits limits) { this.limits = limits; return this; }

        /**
         * Opens the state directory (taking its lock) and returns a client, not connected yet.
         *
         * @throws IllegalStateException when another client holds this user's and device's state directory
         */
        public PigeonClient build() {
            Objects.requireNonNull(server, "server");
            UserId.require(user, "user");
            UserId.require(device, "device");
            Objects.requireNonNull(tokens, "a token, token supplier or devTokens() is required");
            ClientSettings settings = new ClientSettings(server, user, device, tokens, stateDir, transports, listener,
                    startAtHead, backoffBase, backoffMax, failuresBeforeFallback, cutWindow, retryBetterAfter,
                    connectTimeout, requestTimeout, idleTimeout, pollWait, ackDelay, limits);
            return new PigeonClient(new ClientEngine(settings));
        }
    }
}
