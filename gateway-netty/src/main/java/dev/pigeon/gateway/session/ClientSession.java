package dev.pigeon.gateway.session;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.homing.Home;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.DeliverySink;
import dev.pigeon.router.InboxPage;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.router.SessionRegistration;
import dev.pigeon.storage.InboxEntry;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client's live session, whatever its transport: the stream of its inbox from a position on, in
 * {@code seq} order without a gap or a repeat, and the answers to its requests.
 *
 * <p>Opening attaches to the router first, so deliveries from then on are held; then it reads the
 * head, writes {@code hello} and replays the inbox after the start position page by page. Live
 * deliveries are written in {@code seq} order: one at or below the last written is dropped, one
 * beyond the next expected makes the session read the missing entries from the inbox first. The
 * inbox is the truth; the node bus may lose or reorder deliveries. When the node's bus subscription
 * comes back after being lost, a catch-up makes the session read the inbox head and fill up to it,
 * without waiting for the next delivery to show the gap.
 *
 * <p>Back-pressure: while the channel is not writable, frames are held back, up to the outbound
 * queue limit; beyond it the session ends as a slow consumer, and the client resumes from its
 * {@code seq}. Replay pages are read only while nothing is held back.
 *
 * <p>Every method except {@link #deliver} and {@link #requestDrain} must be called on the
 * transport's event loop, which owns all state here.
 */
public final class ClientSession implements DeliverySink {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** Inbox reads in a row that may find nothing new before a gap counts as unrecoverable. */
    private static final int MAX_GAP_RETRIES = 50;

    private enum State { NEW, OPENING, LIVE, ENDED }

    private final SessionServices services;
    private final Principal principal;
    private final SessionTransport transport;
    private final EventLoop loop;
    private final String id;
    private final String device;
    private final Long since;
    private final int pageSize;

    private State state = State.NEW;
    private boolean admitted;
    private boolean draining;
    private boolean reading;
    private boolean flushPending;
    private int requestsInFlight;
    private int gapRetries;
    /** The newest {@code seq} written to the client (or that the client already had). */
    private long last;
    /** The newest {@code seq} known to be in the inbox. */
    private long knownHead;
    private SessionRegistration registration;
    private ScheduledFuture<?> expiry;
    private ScheduledFuture<?> gapRetry;
    /** Live entries not written yet, by {@code seq}. */
    private final NavigableMap<Long, InboxEntry> ahead = new TreeMap<>();
    /** Frames held back until hello is written and the channel is writable, oldest first. */
    private final ArrayDeque<Frame.ServerFrame> held = new ArrayDeque<>();

    /**
     * @param since    the inbox position to resume after, or null to stream from the head at {@code hello}
     * @param pageSize how many inbox entries one replay read asks for; capped at half the outbound queue
     *                 limit, so that a page written to a channel that stops being writable never
     *                 overflows the queue by itself
     */
    public ClientSession(SessionServices services, Principal principal, SessionTransport transport, Long since,
                         int pageSize) {
        this.services = services;
        this.principal = principal;
        this.transport = transport;
        this.loop = transport.eventLoop();
        this.id = newSessionId();
        this.device = principal.device() != null ? principal.device() : id;
        this.since = since;
        this.pageSize = Math.max(1, Math.min(pageSize, services.outboundQueueLimit() / 2));
    }

    public String id() {
        return id;
    }

    public String user() {
        return principal.user();
    }

    /** Enters the session in the node's table; false when its user already holds too many sessions. */
    public boolean admit() {
        if (!services.table().tryAdd(this)) {
            return false;
        }
        admitted = true;
        services.metrics().sessionOpened(transport.name());
        return true;
    }

    /** {@link #admit()}, refusing the request with {@code rate_limited} when the user holds too many sessions. */
    public void admitOrRefuse() {
        if (!admit()) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many sessions for " + user());
        }
    }

    /** Attaches to the router, writes {@code hello} and starts the stream. */
    public void open() {
        if (state != State.NEW) {
            return;
        }
        state = State.OPENING;
        long untilExpiry = principal.expiresAt().toEpochMilli() - services.clock().millis();
        expiry = loop.schedule(() -> end(SessionEnd.TOKEN_EXPIRED), Math.max(0, untilExpiry), TimeUnit.MILLISECONDS);
        long now = services.clock().millis();
        SessionInfo info = new SessionInfo(id, user(), services.nodeId(), services.region(), transport.name(),
                device, now, now);
        services.router().connect(info, this)
                .thenCompose(attached -> {
                    onLoop(() -> attached(attached));
                    return services.router().head(user()).thenCombine(services.homes().homeOfUser(user()), Start::new);
                })
                .whenComplete((start, failure) -> onLoop(() -> started(start, failure)));
    }

    /** Called by the router's threads: hands the delivery to the event loop. */
    @Override
    public void deliver(Delivery delivery) {
        onLoop(() -> delivered(delivery));
    }

    /** A frame the client sent, decoded but not validated yet. */
    public void onRequest(Frame.ClientFrame request) {
        if (state == State.ENDED) {
            return;
        }
        services.metrics().frameIn(transport.name(), request.type());
        if (registration != null) {
            registration.touch();
        }
        String ref = request instanceof Frame.Send send ? send.replyRef() : request.ref();
        if (draining) {
            emitError(ProtocolException.unavailable("the server is restarting; reconnect").withRef(ref));
        } else {
            try {
                serve(services.validator().validate(request, user()));
            } catch (ProtocolException e) {
                emitError(e.withRef(e.ref() != null ? e.ref() : ref));
            }
        }
        flushIfNeeded();
    }

    /** A frame the client sent that could not be decoded: answered with an error, the session goes on. */
    public void onBadRequest(ProtocolException error) {
        if (state == State.ENDED) {
            return;
        }
        services.metrics().frameIn(transport.name(), "invalid");
        emitError(error);
        flushIfNeeded();
    }

    /** The channel became writable (or not): writes what was held back and resumes a replay. */
    public void onWritabilityChanged() {
        if (state != State.LIVE) {
            return;
        }
        writeHeld();
        advance();
        flushIfNeeded();
    }

    /** The channel closed under the session. */
    public void onTransportClosed() {
        end(SessionEnd.CLIENT_GONE);
    }

    /** Thread-safe: asks the session to end as soon as its in-flight requests are answered. */
    public void requestDrain() {
        onLoop(this::drain);
    }

    /** Ends the session: detaches it from the router and ends the transport. Idempotent. */
    public void end(SessionEnd reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancel(expiry);
        cancel(gapRetry);
        if (registration != null) {
            registration.close();
        }
        if (admitted) {
            services.table().remove(this);
            services.metrics().sessionClosed(transport.name());
        }
        if (reason == SessionEnd.SLOW_CONSUMER) {
            services.metrics().slowConsumer(transport.name());
            log.debug("session {} of {} is a slow consumer; closing it", id, user());
            held.clear();
        }
        while (!held.isEmpty()) {
            write(held.poll());
        }
        ahead.clear();
        transport.end(reason);
    }

    private void drain() {
        if (state == State.ENDED) {
            return;
        }
        draining = true;
        if (requestsInFlight == 0) {
            end(SessionEnd.RESTART);
        }
    }

    private void attached(SessionRegistration attached) {
        if (state == State.ENDED) {
            attached.close();
        } else {
            registration = attached;
        }
    }

    private void started(Start start, Throwable failure) {
        if (state != State.OPENING) {
            return;
        }
        if (failure != null) {
            fail(failure);
            return;
        }
        long position = since == null ? start.head : Math.min(since, start.head);
        last = position;
        knownHead = Math.max(knownHead, start.head); // a catch-up while opening may have seen further
        transport.hello(new Frame.Hello(id, user(), services.nodeId(), services.region(), start.home.region(),
                start.home.epoch(), start.head, transport.heartbeatMillis()), position);
        services.metrics().frameOut(transport.name(), "hello");
        flushPending = true;
        state = State.LIVE;
        writeHeld();
        advance();
        flushIfNeeded();
    }

    private void delivered(Delivery delivery) {
        if (state == State.ENDED) {
            return;
        }
        if (delivery instanceof Delivery.Message message) {
            InboxEntry entry = message.entry();
            if (state != State.LIVE || entry.seq() > last) {
                ahead.put(entry.seq(), entry);
                if (ahead.size() > services.outboundQueueLimit()) {
                    end(SessionEnd.SLOW_CONSUMER);
                    return;
                }
            }
            advance();
        } else if (delivery instanceof Delivery.Receipt receipt) {
            emit(receipt.receipt());
        } else if (delivery instanceof Delivery.Disconnect) {
            end(SessionEnd.DISCONNECTED);
            return;
        } else if (delivery instanceof Delivery.CatchUp) {
            catchUp();
        }
        flushIfNeeded();
    }

    /** Deliveries may have been lost: the inbox head says how far to fill from the inbox. */
    private void catchUp() {
        services.router().head(user()).whenComplete((head, failure) -> onLoop(() -> {
            if (state == State.ENDED) {
                return;
            }
            if (failure != null) {
                log.debug("session {} of {} could not read its inbox head to catch up", id, user(), failure);
                return; // the next delivery shows the gap instead
            }
            knownHead = Math.max(knownHead, head);
            advance();
            flushIfNeeded();
        }));
    }

    /**
     * Writes whatever can be written in order: reads the inbox while the client is behind the known
     * head, then the live entries that follow on from the last one written.
     */
    private void advance() {
        while (state == State.LIVE && !reading && gapRetry == null) {
            if (last < knownHead) {
                if (held.isEmpty() && transport.isWritable()) {
                    readInbox();
                }
                return;
            }
            Map.Entry<Long, InboxEntry> next = ahead.firstEntry();
            if (next == null) {
                return;
            }
            long seq = next.getKey();
            if (seq <= last) {
                ahead.pollFirstEntry();
            } else if (seq == last + 1) {
                ahead.pollFirstEntry();
                emitMessage(next.getValue());
            } else {
                knownHead = seq - 1; // a gap: the entries before this one come from the inbox first
            }
        }
    }

    private void readInbox() {
        reading = true;
        long from = last;
        services.router().sync(user(), from, pageSize)
                .whenComplete((page, failure) -> onLoop(() -> inboxRead(from, page, failure)));
    }

    private void inboxRead(long from, InboxPage page, Throwable failure) {
        reading = false;
        if (state != State.LIVE) {
            return;
        }
        if (failure != null) {
            fail(failure);
            return;
        }
        knownHead = Math.max(knownHead, page.head());
        for (InboxEntry entry : page.messages()) {
            if (state == State.LIVE && entry.seq() > last) {
                emitMessage(entry);
            }
        }
        if (last == from && last < knownHead) {
            retryGap();
        } else {
            gapRetries = 0;
            advance();
        }
        flushIfNeeded();
    }

    /** The inbox does not show yet what a delivery announced (a replica behind): look again shortly. */
    private void retryGap() {
        if (++gapRetries > MAX_GAP_RETRIES) {
            log.warn("session {} of {}: inbox entries after {} stay missing; ending the session", id, user(), last);
            fail(ProtocolException.unavailable("the inbox is behind; resume later"));
            return;
        }
        gapRetry = loop.schedule(() -> {
            gapRetry = null;
            advance();
            flushIfNeeded();
        }, services.gapRetryDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void serve(Frame.ClientFrame request) {
        if (request instanceof Frame.Ping ping) {
            emit(new Frame.Pong(ping.ref()));
        } else if (request instanceof Frame.Send send) {
            request(services.router().send(user(), send), send.replyRef(), this::emit);
        } else if (request instanceof Frame.Ack ack) {
            request(services.router().ack(user(), device, ack.upTo()), ack.ref(), done -> { });
        } else if (request instanceof Frame.Read read) {
            request(services.router().read(user(), read.conversation(), read.upTo()), read.ref(), done -> { });
        } else if (request instanceof Frame.Sync sync) {
            request(services.router().sync(user(), sync.since(), sync.limit()), sync.ref(), page -> {
                page.messages().forEach(entry -> emit(entry.toMsg()));
                emit(new Frame.Synced(sync.ref(), page.head()));
            });
        } else if (request instanceof Frame.History history) {
            request(services.router().history(user(), history.conversation(), history.before(), history.limit()),
                    history.ref(),
                    page -> emit(new Frame.HistoryPage(history.ref(), page.conversation(), page.messages())));
        }
    }

    private <T> void request(CompletionStage<T> stage, String ref, Consumer<T> onSuccess) {
        requestsInFlight++;
        stage.whenComplete((result, failure) -> onLoop(() -> {
            requestsInFlight--;
            if (state != State.ENDED) {
                if (failure != null) {
                    emitError(ProtocolErrors.from(failure).withRef(ref));
                } else {
                    onSuccess.accept(result);
                }
                flushIfNeeded();
            }
            if (draining && requestsInFlight == 0) {
                end(SessionEnd.RESTART);
            }
        }));
    }

    private void fail(Throwable failure) {
        emitError(ProtocolErrors.from(failure));
        end(SessionEnd.UNAVAILABLE);
    }

    private void emitMessage(InboxEntry entry) {
        last = entry.seq();
        emit(entry.toMsg());
    }

    private void emitError(ProtocolException error) {
        services.metrics().error(error.code().wireName());
        emit(error.toFrame());
    }

    private void emit(Frame.ServerFrame frame) {
        if (state == State.ENDED) {
            return;
        }
        if (state == State.LIVE && held.isEmpty() && transport.isWritable()) {
            write(frame);
            return;
        }
        held.add(frame);
        if (held.size() > services.outboundQueueLimit()) {
            end(SessionEnd.SLOW_CONSUMER);
        }
    }

    private void writeHeld() {
        while (!held.isEmpty() && transport.isWritable()) {
            write(held.poll());
        }
    }

    private void write(Frame.ServerFrame frame) {
        transport.write(frame);
        services.metrics().frameOut(transport.name(), frame.type());
        flushPending = true;
    }

    private void flushIfNeeded() {
        if (flushPending) {
            flushPending = false;
            transport.flush();
        }
    }

    /** Runs {@code task} on the event loop, always later (never inline), so state changes stay in order. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("event loop of session {} is shut down", id);
        }
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private static String newSessionId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private record Start(long head, Home home) {
    }
}
