package dev.pigeon.client;

import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client's state machine. Everything it holds is touched only on its one event thread
 * ({@code loop}); transports and HTTP answers hop onto it, and every event carries the generation of
 * the attempt it belongs to, so that a late event of an abandoned attempt changes nothing. Listener
 * callbacks run on a second thread, in order, so that a slow listener never stalls the connection.
 */
final class ClientEngine {
    private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
    private static final int MAX_SYNC_PAGE = 1000;
    /** At most this many entries the listener had may come again after a crash (see {@link DurablePosition}). */
    private static final int MAX_SAVED_BEHIND = 64;

    private final ClientSettings settings;
    private final FrameValidator validator;
    private final ScheduledExecutorService loop;
    private final ExecutorService callbacks;
    private final HttpClient http;
    private final HttpApi api;
    private final ClientStateDir stateDir;
    private final Outbox outbox;
    private final InboxSequencer inbox;
    private final DurablePosition saved;
    private final TransportLadder ladder;
    private final Backoff backoff;
    /** The futures {@link #send} returned, by message id. */
    private final Map<String, CompletableFuture<Frame.Sent>> callers = new ConcurrentHashMap<>();
    /** Read markers not sent yet, by conversation; kept in the state directory too, so that they outlive the process. */
    private final Map<String, Long> reads;

    private volatile ConnectionState connection = ConnectionState.IDLE;
    private volatile long position;
    private boolean running;
    private boolean closed;
    private int generation;
    private Transport transport;
    private String token;
    private long openedAt;
    private long lastActivity;
    private Frame.Send inFlight;
    private long acked;
    private boolean fillingHole;
    /** Whether the state directory holds read markers (so sending them must clear it). */
    private boolean readsOnDisk;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> probe;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> opening;
    private ScheduledFuture<?> ack;
    private ScheduledFuture<?> sendRetry;

    ClientEngine(ClientSettings settings) {
        this.settings = settings;
        this.validator = new FrameValidator(settings.limits());
        this.stateDir = ClientStateDir.open(settings.userStateDir());
        this.outbox = stateDir.outbox();
        Long savedPosition = stateDir.position();
        this.inbox = new InboxSequencer(savedPosition != null ? savedPosition : settings.startAtHead() ? null : 0L);
        this.position = inbox.last();
        this.saved = new DurablePosition(stateDir, inbox.last(), MAX_SAVED_BEHIND);
        this.reads = stateDir.readMarkers();
        this.readsOnDisk = !reads.isEmpty();
        this.ladder = new TransportLadder(settings.transports(), settings.failuresBeforeFallback(),
                settings.cutWindow());
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffMax(),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        this.loop = Executors.newSingleThreadScheduledExecutor(named("pigeon-client-" + settings.user()));
        this.callbacks = Executors.newSingleThreadExecutor(named("pigeon-client-events-" + settings.user()));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).build();
        this.api = new HttpApi(http, settings.server(), settings.requestTimeout());
    }

    // ---- the public face, any thread ----

    void start() {
        loop.execute(() -> {
            if (!running && !closed) {
                running = true;
                attempt();
            }
        });
    }

    CompletableFuture<Frame.Sent> send(Frame.Send request) {
        Frame.Send withId = request.id() != null ? request : new Frame.Send(request.ref(), UUID.randomUUID().toString(),
                request.conversation(), request.to(), request.body(), request.format());
        Frame.Send valid = validator.send(withId, settings.user());
        if (loop.isShutdown()) {
            throw new IllegalStateException("the client is closed");
        }
        CompletableFuture<Frame.Sent> future = callers.computeIfAbsent(valid.id(), id -> new CompletableFuture<>());
        outbox.add(valid); // durable before this returns; a repeat of a queued id is the same message
        loop.execute(this::pump);
        return future;
    }

    void read(String conversation, long upTo) {
        Frame.Read read = validator.read(new Frame.Read(null, conversation, upTo));
        loop.execute(() -> {
            reads.merge(read.conversation(), read.upTo(), Math::max);
            if (!flushReads()) {
                saveReads();
            }
        });
    }

    ConnectionState state() {
        return connection;
    }

    long position() {
        return position;
    }

    List<Frame.Send> queued() {
        return outbox.all();
    }

    String user() {
        return settings.user();
    }

    void close() {
        stopThreads(this::shutDown, false);
    }

    /**
     * Stops as a crash of the process would: the session is dropped, nothing is saved and callbacks not
     * run yet never run. Only the directory lock is released (as the operating system would), so that
     * a new client can open the same state.
     */
    void abandon() {
        stopThreads(this::drop, true);
    }

    private void stopThreads(Runnable lastOnLoop, boolean now) {
        try {
            loop.submit(lastOnLoop).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            log.warn("client of {} did not stop cleanly", settings.user(), e);
        }
        if (now) {
            loop.shutdownNow();
            callbacks.shutdownNow();
        } else {
            loop.shutdown();
            callbacks.shutdown(); // what is queued for the listener still reaches it (and saves its position)
        }
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stateDir.close();
    }

    // ---- the event thread ----

    private void shutDown() {
        if (closed) {
            return;
        }
        drop();
        IllegalStateException stillQueued = new IllegalStateException("the client closed; the send stays queued on disk");
        callers.values().forEach(future -> future.completeExceptionally(stillQueued));
        callers.clear();
        setState(ConnectionState.CLOSED);
    }

    /** Ends the session and every timer; nothing happens on the event thread afterwards. */
    private void drop() {
        closed = true;
        generation++;
        cancelTimers();
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    private void attempt() {
        reconnect = null;
        if (closed) {
            return;
        }
        TransportKind kind = ladder.current();
        int attempt = ++generation;
        setState(new ConnectionState(ConnectionState.Status.CONNECTING, kind));
        CompletableFuture<String> nextToken;
        try {
            nextToken = settings.tokens().apply(http);
        } catch (RuntimeException e) {
            nextToken = CompletableFuture.failedFuture(e);
        }
        nextToken.whenComplete((fresh, failure) -> onLoop(attempt, () -> {
            if (failure != null) {
                log.warn("no token for {}: {}", settings.user(), Errors.unwrap(failure).toString());
                setState(new ConnectionState(ConnectionState.Status.OFFLINE, kind));
                scheduleReconnect(backoff.next());
                return;
            }
            token = fresh;
            transport = create(kind);
            Long since = inbox.started() ? inbox.last() : null;
            log.debug("{} connecting over {} after {}", settings.user(), kind, since);
            Transport attempting = transport;
            transport.open(since, fresh, events(attempt));
            // a handshake that completes but never brings hello (a proxy that stalls) must not hang the client
            opening = loop.schedule(() -> {
                if (transport == attempting && connection.status() != ConnectionState.Status.OPEN) {
                    dropTransport(new IOException("no hello within " + settings.connectTimeout().toSeconds() + " s"));
                }
            }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }));
    }

    private Transport create(TransportKind kind) {
        return switch (kind) {
            case WEBSOCKET -> new WebSocketTransport(http, api, settings.connectTimeout());
            case SSE -> new SseTransport(http, api);
            case LONG_POLL -> new LongPollTransport(http, api, settings.pollWait(), MAX_SYNC_PAGE);
        };
    }

    private Transport.Events events(int attempt) {
        return new Transport.Events() {
            @Override
            public void opened(long position) {
                onLoop(attempt, () -> ClientEngine.this.opened(position));
            }

            @Override
            public void frame(Frame.ServerFrame frame) {
                onLoop(attempt, () -> ClientEngine.this.frame(frame));
            }

            @Override
            public void activity() {
                onLoop(attempt, () -> lastActivity = System.nanoTime());
            }

            @Override
            public void closed(Throwable cause) {
                onLoop(attempt, () -> ClientEngine.this.closed(cause));
            }
        };
    }

    private void opened(long start) {
        cancel(opening);
        opening = null;
        ladder.opened();
        backoff.reset();
        openedAt = System.nanoTime();
        lastActivity = openedAt;
        if (!inbox.started() || start < inbox.last()) {
            if (inbox.started()) {
                log.warn("the server's inbox of {} ends at {}, before {} seen here; following the server",
                        settings.user(), start, inbox.last());
            }
            inbox.startAt(start);
            moveSavedPosition(start);
        }
        setState(new ConnectionState(ConnectionState.Status.OPEN, transport.kind()));
        long checkEvery = Math.max(1, settings.idleTimeout().toMillis() / 2);
        watchdog = loop.scheduleWithFixedDelay(this::checkAlive, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        if (ladder.belowBest()) {
            probe = loop.schedule(this::retryBetter, settings.retryBetterAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
        flushReads();
        ackSoon();
        pump();
    }

    private void frame(Frame.ServerFrame frame) {
        lastActivity = System.nanoTime();
        if (frame instanceof Frame.Msg msg) {
            deliver(inbox.offer(msg));
            fillHole();
        } else if (frame instanceof Frame.Receipt receipt) {
            notify(listener -> listener.onReceipt(receipt));
        } else if (frame instanceof Frame.Error error) {
            log.warn("error from the server: {} {}", error.code(), error.message());
            notify(listener -> listener.onError(error));
        }
    }

    /** Hands entries to the listener, saving the position behind it, so a restarted client never skips one. */
    private void deliver(List<Frame.Msg> due) {
        if (due.isEmpty()) {
            return;
        }
        saved.queued(due.get(due.size() - 1).seq());
        for (Frame.Msg msg : due) {
            callbacks.execute(() -> {
                position = msg.seq();
                tell(listener -> listener.onMessage(msg));
                try {
                    saved.handled(msg.seq());
                } catch (UncheckedIOException e) {
                    // only a crash before the next save hands these entries out again
                    log.error("cannot save the inbox position of {}", settings.user(), e);
                }
            });
        }
        ackSoon();
    }

    /** The position moved without entries (a first start at the head, or the server's inbox ends earlier). */
    private void moveSavedPosition(long start) {
        saved.queued(start);
        callbacks.execute(() -> {
            try {
                saved.moveTo(start);
            } catch (UncheckedIOException e) {
                log.error("cannot save the inbox position of {}", settings.user(), e);
            }
            position = start;
        });
    }

    /** An entry arrived past a hole: read the missing ones from the inbox. */
    private void fillHole() {
        OptionalLong end = inbox.holeEnd();
        if (fillingHole || end.isEmpty() || token == null) {
            return;
        }
        fillingHole = true;
        long from = inbox.last();
        int limit = (int) Math.min(MAX_SYNC_PAGE, end.getAsLong() - from);
        int attempt = generation;
        api.sync(from, limit, token).whenComplete((page, failure) -> later(() -> {
            fillingHole = false;
            if (closed) {
                return;
            }
            if (failure == null) {
                page.messages().forEach(msg -> deliver(inbox.offer(msg)));
            }
            if (inbox.last() > from) {
                fillHole();
            } else if (attempt == generation && transport != null) {
                // the inbox does not show the missing entries: a fresh session resumes and fills them
                log.info("inbox of {} has a hole after {}; resuming", settings.user(), from);
                dropTransport(new IOException("hole after " + from));
            }
        }));
    }

    private void closed(Throwable cause) {
        boolean wasOpen = connection.status() == ConnectionState.Status.OPEN;
        TransportKind kind = transport != null ? transport.kind() : ladder.current();
        transport = null;
        generation++;
        cancel(watchdog);
        cancel(probe);
        cancel(opening);
        watchdog = probe = opening = null;
        if (cause == null) {
            log.debug("{}: the server ended the {} session", settings.user(), kind);
        } else if (wasOpen) {
            log.info("{}: the {} session was cut: {}", settings.user(), kind, cause.toString());
            ladder.cut(System.nanoTime() / 1_000_000);
        } else {
            log.info("{}: {} did not connect: {}", settings.user(), kind, cause.toString());
            ladder.connectFailed(cause instanceof TransportRefused refused && !refused.unauthorized());
        }
        setState(new ConnectionState(ConnectionState.Status.OFFLINE, kind));
        scheduleReconnect(backoff.next());
    }

    /** Ends the current session from this side as if it had been cut. */
    private void dropTransport(Throwable reason) {
        Transport current = transport;
        if (current != null) {
            current.close();
            closed(reason);
        }
    }

    private void checkAlive() {
        long silentFor = System.nanoTime() - lastActivity;
        if (transport != null && silentFor > settings.idleTimeout().toNanos()) {
            dropTransport(new IOException("nothing arrived for " + Duration.ofNanos(silentFor).toSeconds() + " s"));
        }
    }

    /** On a lesser transport for a while: go back to the best one (resuming from the position). */
    private void retryBetter() {
        probe = null;
        Transport current = transport;
        if (current == null || closed) {
            return;
        }
        log.info("{}: trying a better transport than {} again", settings.user(), current.kind());
        current.close();
        transport = null;
        generation++;
        cancel(watchdog);
        watchdog = null;
        ladder.retryBest();
        attempt();
    }

    private void scheduleReconnect(Duration delay) {
        if (!closed && reconnect == null) {
            reconnect = loop.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Sends the oldest queued message, one at a time, so that they arrive in the order they were written. */
    private void pump() {
        if (closed || transport == null || connection.status() != ConnectionState.Status.OPEN || inFlight != null
                || sendRetry != null) {
            return;
        }
        Frame.Send next = outbox.first();
        if (next == null) {
            return;
        }
        inFlight = next;
        Transport via = transport;
        via.send(next).orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((sent, failure) -> later(() -> answered(next, via, sent, failure)));
    }

    private void answered(Frame.Send send, Transport via, Frame.Sent sent, Throwable failure) {
        if (inFlight != send) {
            return;
        }
        inFlight = null;
        if (closed) {
            return;
        }
        if (failure == null) {
            outbox.remove(send.id());
            complete(send.id(), sent, null);
            notify(listener -> listener.onSent(sent));
            pump();
            return;
        }
        Throwable cause = Errors.unwrap(failure);
        if (Errors.isFinal(cause)) {
            ProtocolException refused = (ProtocolException) cause;
            log.warn("the server refused message {} for good: {}", send.id(), refused.getMessage());
            outbox.remove(send.id());
            complete(send.id(), null, refused);
            notify(listener -> listener.onSendFailed(send, refused.withRef(send.replyRef()).toFrame()));
            pump();
            return;
        }
        log.debug("message {} not sent yet: {}", send.id(), cause.toString());
        boolean sessionSuspect = cause instanceof TimeoutException
                || cause instanceof ProtocolException e && e.code() == ErrorCode.UNAUTHORIZED;
        if (sessionSuspect && via == transport) {
            dropTransport(cause); // reconnecting gets a fresh token and a healthy connection; the send goes again
        } else {
            long delay = ThreadLocalRandom.current().nextLong(settings.backoffBase().toMillis(),
                    settings.backoffBase().toMillis() * 4 + 1);
            sendRetry = loop.schedule(() -> {
                sendRetry = null;
                pump();
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void complete(String id, Frame.Sent sent, Throwable failure) {
        CompletableFuture<Frame.Sent> future = callers.remove(id);
        if (future != null) {
            if (failure == null) {
                future.complete(sent);
            } else {
                future.completeExceptionally(failure);
            }
        }
    }

    /** Sends the pending read markers if a session is open; false when they must wait. */
    private boolean flushReads() {
        if (transport == null || connection.status() != ConnectionState.Status.OPEN) {
            return false;
        }
        reads.forEach((conversation, upTo) -> transport.request(new Frame.Read(null, conversation, upTo)));
        reads.clear();
        if (readsOnDisk) {
            saveReads();
        }
        return true;
    }

    private void saveReads() {
        try {
            stateDir.saveReadMarkers(reads);
            readsOnDisk = !reads.isEmpty();
        } catch (UncheckedIOException e) {
            log.warn("cannot save the read markers of {}; they are kept in memory", settings.user(), e);
        }
    }

    private void ackSoon() {
        if (ack != null || inbox.last() <= acked) {
            return;
        }
        ack = loop.schedule(() -> {
            ack = null;
            if (transport != null && connection.status() == ConnectionState.Status.OPEN && inbox.last() > acked) {
                transport.request(new Frame.Ack(null, inbox.last()));
                acked = inbox.last();
            }
        }, settings.ackDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void setState(ConnectionState next) {
        if (!next.equals(connection)) {
            connection = next;
            notify(listener -> listener.onStateChange(next));
        }
    }

    private void notify(java.util.function.Consumer<PigeonListener> call) {
        callbacks.execute(() -> tell(call));
    }

    /** Calls the listener; on the listener thread. */
    private void tell(java.util.function.Consumer<PigeonListener> call) {
        try {
            call.accept(settings.listener());
        } catch (RuntimeException e) {
            log.warn("a Pigeon listener failed", e);
        }
    }

    /** Runs {@code action} on the event thread if {@code attempt} is still the current one. */
    private void onLoop(int attempt, Runnable action) {
        later(() -> {
            if (attempt == generation && !closed) {
                action.run();
            }
        });
    }

    /** Runs {@code action} on the event thread, unless the client has closed. */
    private void later(Runnable action) {
        try {
            loop.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the client closed meanwhile: nothing is waiting for this any more
        }
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {reconnect, probe, watchdog, opening, ack, sendRetry}) {
            cancel(timer);
        }
        reconnect = probe = watchdog = ack = sendRetry = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
