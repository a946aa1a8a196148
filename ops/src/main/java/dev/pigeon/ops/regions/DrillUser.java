package dev.pigeon.ops.regions;

import dev.pigeon.protocol.Frame;

import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One simulated user: keeps a WebSocket session to a node of the region it is pointed at
 * (reconnecting, resuming from its last inbox position), and sends what the drill asks of it. Every
 * message keeps its client id until a {@code sent} answers it: one answered {@code unavailable} or
 * {@code rate_limited}, unanswered within {@link #SEND_TIMEOUT_MS}, or cut off by a lost session is
 * sent again with the same id. At most {@link #WINDOW} sends are in flight at once, oldest first.
 */
final class DrillUser implements DrillSession.Listener {
    static final int WINDOW = 8;
    static final long SEND_TIMEOUT_MS = 10_000;
    static final long RETRY_AFTER_MS = 500;
    static final int GROUP_EVERY = 4;
    private static final long RECONNECT_FIRST_MS = 250;
    private static final long RECONNECT_MOST_MS = 2_000;
    private static final Set<String> RETRYABLE = Set.of("unavailable", "rate_limited");

    /** One message waiting for its {@code sent}. */
    private static final class Pending {
        final Frame.Send frame;
        final String conversation;
        long dueAtMs;
        long inFlightSinceMs = -1;
        int attempts;
        String retryReason;

        Pending(Frame.Send frame, String conversation, long dueAtMs) {
            this.frame = frame;
            this.conversation = conversation;
            this.dueAtMs = dueAtMs;
        }

        boolean inFlight() {
            return inFlightSinceMs >= 0;
        }

        void again(String reason, long atMs) {
            inFlightSinceMs = -1;
            dueAtMs = atMs;
            retryReason = reason;
        }
    }

    private final DrillCast.User user;
    private final String token;
    private final String groupConversation;
    private final HttpClient http;
    private final DrillTally tally;
    private final LongSupplier clock;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private List<NodeEndpoints> endpoints;
    private int nextEndpoint;
    private DrillSession session;
    private boolean open;
    private long reconnectAtMs;
    private int failures;
    private long lastSeq;
    private long epoch = -1;
    private long sends;
    private boolean stopped;

    /**
     * @param groupConversation the group it sends every {@link #GROUP_EVERY}th message to, or null
     * @param clock             the drill's clock, in milliseconds
     */
    DrillUser(DrillCast.User user, String token, String groupConversation, List<NodeEndpoints> endpoints,
              HttpClient http, DrillTally tally, LongSupplier clock) {
        this.user = user;
        this.token = token;
        this.groupConversation = groupConversation;
        this.endpoints = List.copyOf(endpoints);
        this.http = http;
        this.tally = tally;
        this.clock = clock;
    }

    String name() {
        return user.name();
    }

    String home() {
        return user.home();
    }

    /** From now on, (re)connects to one of {@code nodes}; the session it has is kept while it lasts. */
    synchronized void pointAt(List<NodeEndpoints> nodes) {
        endpoints = List.copyOf(nodes);
        nextEndpoint = 0;
    }

    /** Its session is open, to a node of {@code region}. */
    synchronized boolean openIn(String region) {
        return open && session.endpoint().region().equals(region);
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** Messages not acknowledged yet. */
    synchronized int unacked() {
        return pending.size();
    }

    /** Queues the next message (to its pair, or every {@link #GROUP_EVERY}th to the group) and sends it when it can. */
    synchronized void sendNext() {
        if (stopped) {
            return;
        }
        sends++;
        String id = "m" + sends;
        String body = "drill " + user.name() + " " + id;
        boolean toGroup = groupConversation != null && sends % GROUP_EVERY == 0;
        Frame.Send frame = toGroup
                ? new Frame.Send(null, id, groupConversation, null, body, null)
                : new Frame.Send(null, id, null, user.peer(), body, null);
        pending.put(id, new Pending(frame, toGroup ? groupConversation : user.directConversation(), clock.getAsLong()));
        pump();
    }

    /** Connects when due, and sends what is due: new messages, retries, timed-out ones. */
    synchronized void pump() {
        if (stopped) {
            return;
        }
        long now = clock.getAsLong();
        if (session == null && now >= reconnectAtMs) {
            connect();
        }
        if (!open) {
            return;
        }
        int inFlight = 0;
        for (Pending p : pending.values()) {
            if (p.inFlight() && now - p.inFlightSinceMs >= SEND_TIMEOUT_MS) {
                p.again("timeout", now);
            } else if (p.inFlight()) {
                inFlight++;
            }
        }
        for (Pending p : pending.values()) {
            if (inFlight >= WINDOW) {
                break;
            }
            if (!p.inFlight() && p.dueAtMs <= now) {
                if (p.attempts > 0) {
                    tally.retried(p.retryReason);
                }
                p.attempts++;
                p.inFlightSinceMs = now;
                session.send(p.frame);
                inFlight++;
            }
        }
    }

    /** Closes the session for good; what is still unacknowledged stays so. */
    synchronized void stop() {
        stopped = true;
        open = false;
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private void connect() {
        NodeEndpoints endpoint = endpoints.get(nextEndpoint++ % endpoints.size());
        session = new DrillSession(endpoint, this);
        session.open(http, token, lastSeq);
    }

    @Override
    public synchronized void opened(DrillSession from, Frame.Hello hello) {
        if (from != session) {
            return;
        }
        open = true;
        failures = 0;
        tally.hello(new DrillHello(user.name(), user.home(), from.endpoint().region(), hello.homeRegion(),
                hello.epoch(), clock.getAsLong()));
        if (epoch >= 0 && hello.epoch() != epoch) {
            // A new home may number from below what the old one reached: resume from its head.
            lastSeq = Math.min(lastSeq, hello.head());
        }
        epoch = hello.epoch();
        pump();
    }

    @Override
    public synchronized void received(DrillSession from, Frame.ServerFrame frame) {
        if (from != session) {
            return;
        }
        long now = clock.getAsLong();
        if (frame instanceof Frame.Sent sent) {
            Pending p = pending.remove(sent.id());
            if (p != null) {
                tally.acked(new DrillAck(new DrillKey(p.conversation, user.name(), sent.id()), sent.convSeq(),
                        sent.seq(), sent.ts(), now, from.endpoint().region()));
                pump();
            }
        } else if (frame instanceof Frame.Error error) {
            Pending p = error.ref() == null ? null : pending.get(error.ref());
            if (p != null && RETRYABLE.contains(error.code())) {
                p.again(error.code(), now + RETRY_AFTER_MS);
            } else if (p != null) {
                pending.remove(error.ref());
                tally.error(error.code());
            } else if (error.ref() != null) {
                // every ref is a send's id: this answers an earlier attempt of a send already settled
                tally.error(error.code() + " after its sent");
            } else {
                tally.error(error.code());
            }
        } else if (frame instanceof Frame.Msg msg) {
            tally.received(user.name(), msg);
            lastSeq = msg.seq();  // one session's entries come in seq order: the last is the newest
        }
    }

    @Override
    public synchronized void ended(DrillSession from, String why) {
        if (from != session) {
            return;
        }
        long now = clock.getAsLong();
        session = null;
        open = false;
        failures++;
        long backoff = Math.min(RECONNECT_MOST_MS, RECONNECT_FIRST_MS << Math.min(failures - 1, 4));
        reconnectAtMs = now + ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
        for (Pending p : pending.values()) {
            if (p.inFlight()) {
                p.again("reconnect", now);
            }
        }
        tally.disconnected(why);
    }
}
