package dev.pigeon.gateway.session;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.DeliverySink;
import dev.pigeon.router.InboxPage;
import dev.pigeon.router.Router;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.router.SessionRegistration;
import dev.pigeon.storage.InboxEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A router for one user's inbox, in memory, whose answers the test controls: inbox reads and sends
 * can be held and completed later, so a test decides what happens while a session catches up.
 */
final class FakeRouter implements Router {
    final List<InboxEntry> inbox = new ArrayList<>();
    final Deque<HeldSync> heldSyncs = new ArrayDeque<>();
    final Deque<CompletableFuture<Frame.Sent>> heldSends = new ArrayDeque<>();
    final List<String> acks = new ArrayList<>();
    boolean holdSyncs;
    boolean holdSends;
    /** Entries with seq above this are not visible to reads yet (a replica behind). */
    long visibleUpTo = Long.MAX_VALUE;
    CompletableFuture<SessionRegistration> connectResult;
    DeliverySink sink;
    SessionInfo connected;
    int syncCalls;
    boolean registrationClosed;
    int touches;

    record HeldSync(long since, int limit, CompletableFuture<InboxPage> answer) {
    }

    InboxEntry append(String from, String body) {
        long seq = inbox.size() + 1;
        InboxEntry entry = new InboxEntry(seq, new LogEntry("dm:alice:bob", seq, from, "id" + seq, body, null,
                1_000 + seq));
        inbox.add(entry);
        return entry;
    }

    /** Completes the oldest held inbox read with what the inbox holds now. */
    void releaseSync() {
        HeldSync held = heldSyncs.poll();
        held.answer.complete(page(held.since, held.limit));
    }

    private InboxPage page(long since, int limit) {
        List<InboxEntry> entries = inbox.stream()
                .filter(e -> e.seq() > since && e.seq() <= visibleUpTo).limit(limit).toList();
        return new InboxPage(entries, Math.min(inbox.size(), visibleUpTo));
    }

    @Override
    public CompletionStage<Frame.Sent> send(String user, Frame.Send send) {
        CompletableFuture<Frame.Sent> sent = holdSends ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(new Frame.Sent(send.replyRef(), send.id(), send.conversation(),
                        1, inbox.size() + 1, 5));
        if (holdSends) {
            heldSends.add(sent);
        }
        return sent;
    }

    @Override
    public CompletionStage<Void> ack(String user, String device, long upTo) {
        acks.add(device + ":" + upTo);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> read(String user, String conversation, long upTo) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<InboxPage> sync(String user, long since, int limit) {
        syncCalls++;
        if (holdSyncs) {
            CompletableFuture<InboxPage> answer = new CompletableFuture<>();
            heldSyncs.add(new HeldSync(since, limit, answer));
            return answer;
        }
        return CompletableFuture.completedFuture(page(since, limit));
    }

    @Override
    public CompletionStage<Long> head(String user) {
        return CompletableFuture.completedFuture((long) inbox.size());
    }

    @Override
    public CompletionStage<Frame.HistoryPage> history(String user, String conversation, Long before, int limit) {
        return CompletableFuture.completedFuture(new Frame.HistoryPage(null, conversation, List.of()));
    }

    @Override
    public CompletionStage<SessionRegistration> connect(SessionInfo session, DeliverySink sink) {
        this.sink = sink;
        this.connected = session;
        if (connectResult != null) {
            return connectResult;
        }
        return CompletableFuture.completedFuture(new SessionRegistration() {
            @Override
            public void touch() {
                touches++;
            }

            @Override
            public void close() {
                registrationClosed = true;
            }
        });
    }

    @Override
    public CompletionStage<Void> disconnect(String user, String reason) {
        return CompletableFuture.completedFuture(null);
    }
}
