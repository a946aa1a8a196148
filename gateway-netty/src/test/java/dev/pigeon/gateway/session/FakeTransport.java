package dev.pigeon.gateway.session;

import dev.pigeon.protocol.Frame;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;

/** Records what a session writes; its writability is the test's to set. */
final class FakeTransport implements SessionTransport {
    final EventLoop loop;
    final List<Frame.ServerFrame> written = new ArrayList<>();
    Frame.Hello hello;
    long helloPosition = -1;
    boolean writable = true;
    /** When set, every write fills the channel: it is not writable again until the test says so. */
    boolean fillsOnWrite;
    int flushes;
    SessionEnd ended;

    FakeTransport(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public String name() {
        return "ws";
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public long heartbeatMillis() {
        return 25_000;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void hello(Frame.Hello hello, long position) {
        this.hello = hello;
        this.helloPosition = position;
    }

    @Override
    public void write(Frame.ServerFrame frame) {
        written.add(frame);
        if (fillsOnWrite) {
            writable = false;
        }
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void end(SessionEnd reason) {
        ended = reason;
    }

    /** The seqs of the msg frames written, in order. */
    List<Long> seqs() {
        return written.stream().filter(Frame.Msg.class::isInstance).map(f -> ((Frame.Msg) f).seq()).toList();
    }
}
