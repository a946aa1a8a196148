package dev.pigeon.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTimeoutHandlerTest {

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new RequestTimeoutHandler(Duration.ofSeconds(10)));
        return channel;
    }

    @Test
    void closesAConnectionThatSendsNothing() {
        EmbeddedChannel channel = channel();
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesARequestThatNeverCompletes() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/send"));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {'{'})));
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        releaseInbound(channel);
    }

    @Test
    void aCompleteRequestIsNotTimedWhileItIsAnsweredAndTheClockRestartsAfter() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/poll"));
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        channel.advanceTimeBy(30, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("a long-poll in progress").isTrue();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("idle after the answer").isFalse();
        releaseInbound(channel);
        channel.finishAndReleaseAll();
    }

    private static void releaseInbound(EmbeddedChannel channel) {
        Object message;
        while ((message = channel.readInbound()) != null) {
            ReferenceCountUtil.release(message);
        }
    }
}
