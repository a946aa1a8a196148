package dev.pigeon.gateway.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketKeepaliveTest {

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new WebSocketKeepalive(Duration.ofSeconds(25), Duration.ofSeconds(75)));
        return channel;
    }

    @Test
    void pingsAtEveryInterval() {
        EmbeddedChannel channel = channel();
        channel.advanceTimeBy(25, TimeUnit.SECONDS);
        channel.runPendingTasks();
        PingWebSocketFrame ping = channel.readOutbound();
        assertThat(ping).isNotNull();
        ping.release();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        channel.advanceTimeBy(25, TimeUnit.SECONDS);
        channel.runPendingTasks();
        PingWebSocketFrame second = channel.readOutbound();
        assertThat(second).as("pings go on while the client is busy too").isNotNull();
        second.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void closesAfterTheIdleTimeoutWithoutAnyInboundByte() {
        EmbeddedChannel channel = channel();
        for (int i = 0; i < 3; i++) {
            channel.advanceTimeBy(25, TimeUnit.SECONDS);
            channel.runPendingTasks();
        }
        assertThat(channel.isOpen()).isFalse();
        Object frame;
        CloseWebSocketFrame close = null;
        while ((frame = channel.readOutbound()) != null) {
            if (frame instanceof CloseWebSocketFrame c) {
                close = c;
            } else {
                ((PingWebSocketFrame) frame).release();
            }
        }
        assertThat(close).isNotNull();
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
    }

    @Test
    void anyInboundByteKeepsTheConnectionOpen() {
        EmbeddedChannel channel = channel();
        for (int i = 0; i < 6; i++) {
            channel.advanceTimeBy(25, TimeUnit.SECONDS);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x8a, 0}));
            channel.runPendingTasks();
        }
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }
}
