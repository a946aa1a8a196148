package dev.pigeon.gateway.sse;

import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionEnd;
import dev.pigeon.gateway.session.SessionEventsHandler;
import dev.pigeon.gateway.session.SessionTransport;
import dev.pigeon.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client session over one Server-Sent Events response: a chunked {@code text/event-stream} that
 * starts with {@code retry:}, carries a comment every keepalive interval, and ends cleanly after
 * its maximum lifetime so that proxies never cut it mid-event.
 */
final class SseStream implements SessionTransport {
    private final HttpExchange exchange;
    private final Channel channel;
    private final SseSettings settings;
    private final SseEvents events;
    private ScheduledFuture<?> keepalive;
    private ScheduledFuture<?> lifetime;

    SseStream(HttpExchange exchange, SseSettings settings, SseEvents events) {
        this.exchange = exchange;
        this.channel = exchange.ctx().channel();
        this.settings = settings;
        this.events = events;
    }

    /** Sends the response head and {@code retry:}, then opens the session. */
    void start(ClientSession session) {
        HttpResponse head = new DefaultHttpResponse(exchange.request().protocolVersion(), HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set("X-Accel-Buffering", "no");
        exchange.startStream(head);
        writeChunk(events.retry(channel.alloc(), settings.retry()));
        channel.flush();
        SessionEventsHandler.attach(channel.pipeline(), session);
        long keepaliveMillis = settings.keepalive().toMillis();
        keepalive = channel.eventLoop().scheduleAtFixedRate(this::keepalive, keepaliveMillis, keepaliveMillis,
                TimeUnit.MILLISECONDS);
        lifetime = channel.eventLoop().schedule(() -> session.end(SessionEnd.LIFETIME),
                settings.maxLifetime().toMillis(), TimeUnit.MILLISECONDS);
        session.open();
    }

    private void keepalive() {
        if (channel.isWritable()) {
            writeChunk(events.keepalive(channel.alloc()));
            channel.flush();
        }
    }

    private void writeChunk(ByteBuf chunk) {
        channel.write(new DefaultHttpContent(chunk));
    }

    @Override
    public String name() {
        return "sse";
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public long heartbeatMillis() {
        return settings.keepalive().toMillis();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void hello(Frame.Hello hello, long position) {
        writeChunk(events.hello(channel.alloc(), hello, position));
    }

    @Override
    public void write(Frame.ServerFrame frame) {
        writeChunk(events.frame(channel.alloc(), frame));
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void end(SessionEnd reason) {
        if (keepalive != null) {
            keepalive.cancel(false);
            lifetime.cancel(false);
        }
        SessionEventsHandler.detach(channel.pipeline());
        exchange.endStream();
    }
}
