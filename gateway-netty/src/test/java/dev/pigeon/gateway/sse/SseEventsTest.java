package dev.pigeon.gateway.sse;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.JsonFrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SseEventsTest {
    private final SseEvents events = new SseEvents(new JsonFrameCodec());
    private final UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void messagesCarryTheirSeqAsId() {
        Frame.Msg msg = new Frame.Msg(7, "dm:a:b", 3, "a", "m1", "line one\nline two", null, 99);
        assertThat(text(events.frame(alloc, msg))).isEqualTo("id: 7\nevent: msg\ndata: "
                + "{\"type\":\"msg\",\"seq\":7,\"conversation\":\"dm:a:b\",\"conv_seq\":3,\"from\":\"a\",\"id\":\"m1\","
                + "\"body\":\"line one\\nline two\",\"ts\":99}\n\n");
    }

    @Test
    void helloCarriesThePositionAsId() {
        Frame.Hello hello = new Frame.Hello("s", "a", "n", "r", "r", 1, 9, 15_000);
        assertThat(text(events.hello(alloc, hello, 4))).startsWith("id: 4\nevent: hello\ndata: {\"type\":\"hello\"");
    }

    @Test
    void otherFramesHaveNoIdAndErrorsAreFailureEvents() {
        assertThat(text(events.frame(alloc, new Frame.Receipt("dm:a:b", "b", 2))))
                .isEqualTo("event: receipt\ndata: {\"type\":\"receipt\",\"conversation\":\"dm:a:b\",\"user\":\"b\","
                        + "\"read_up_to\":2}\n\n");
        assertThat(text(events.frame(alloc, new Frame.Error("unavailable", "later", null))))
                .startsWith("event: failure\ndata: {\"type\":\"error\"");
    }

    @Test
    void retryAndKeepalive() {
        assertThat(text(events.retry(alloc, Duration.ofMillis(2000)))).isEqualTo("retry: 2000\n\n");
        assertThat(text(events.keepalive(alloc))).isEqualTo(": ka\n\n");
    }

    private static String text(ByteBuf buffer) {
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            buffer.release();
        }
    }
}
