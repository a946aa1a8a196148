package dev.pigeon.gateway.poll;

import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.MessageEndpoints;
import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionEnd;
import dev.pigeon.gateway.session.SessionEventsHandler;
import dev.pigeon.gateway.session.SessionTransport;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client session that lives for one long-poll request: it collects the inbox entries the session
 * writes and answers with them as soon as there are any (or {@code limit} of them), or with an
 * empty list when the wait is over. Receipts are not part of a poll's answer.
 */
final class LongPoll implements SessionTransport {
    private final HttpExchange exchange;
    private final Channel channel;
    private final int limit;
    private final Duration wait;
    private final List<Frame.Msg> messages = new ArrayList<>();
    private ClientSession session;
    private Frame.Error error;
    private long head;
    private boolean answering;
    private ScheduledFuture<?> waitOver;

    LongPoll(HttpExchange exchange, int limit, Duration wait) {
        this.exchange = exchange;
        this.channel = exchange.ctx().channel();
        this.limit = limit;
        this.wait = wait;
    }

    void start(ClientSession session) {
        this.session = session;
        SessionEventsHandler.attach(channel.pipeline(), session);
        session.open();
    }

    @Override
    public String name() {
        return "poll";
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public long heartbeatMillis() {
        return wait.toMillis();
    }

    /** Collected in memory, at most {@code limit} frames: never held back. */
    @Override
    public boolean isWritable() {
        return true;
    }

    /**
     * The wait starts once the session knows the head, so that every answer carries one; when the
     * inbox already holds entries after the position, there is nothing to wait for.
     */
    @Override
    public void hello(Frame.Hello hello, long position) {
        head = hello.head();
        if (position < head) {
            return;
        }
        waitOver = channel.eventLoop().schedule(() -> session.end(SessionEnd.COMPLETE), wait.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void write(Frame.ServerFrame frame) {
        if (frame instanceof Frame.Msg msg && messages.size() < limit) {
            messages.add(msg);
            head = Math.max(head, msg.seq());
        } else if (frame instanceof Frame.Error failure) {
            error = failure;
        }
    }

    /** The session wrote what it had: answer now if that was anything (after the session's turn). */
    @Override
    public void flush() {
        if (!messages.isEmpty() && !answering) {
            answering = true;
            channel.eventLoop().execute(() -> session.end(SessionEnd.COMPLETE));
        }
    }

    @Override
    public void end(SessionEnd reason) {
        if (waitOver != null) {
            waitOver.cancel(false);
        }
        SessionEventsHandler.detach(channel.pipeline());
        if (messages.isEmpty() && error != null) {
            ErrorCode code = ErrorCode.fromWireName(error.code());
            exchange.failWithStatus(HttpResponseStatus.valueOf(code.httpStatus()), error, code);
        } else {
            exchange.respondJson(HttpResponseStatus.OK, new MessageEndpoints.InboxPageBody(messages, head));
        }
    }
}
