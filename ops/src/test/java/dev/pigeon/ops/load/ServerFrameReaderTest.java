package dev.pigeon.ops.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerFrameReaderTest {

    private static ByteBuf json(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheFieldsOfAMessage() throws IOException {
        ByteBuf frame = json("""
                {"type":"msg","seq":7,"conversation":"dm:a:b","conv_seq":3,"from":"a","id":"123",
                 "body":"123xxxx","ts":1700000000000,"extra":{"nested":[1,{"from":"not me"}]}}""");

        var read = ServerFrameReader.read(frame);

        assertThat(read).isEqualTo(new ServerFrameReader.ServerFrame("msg", "a", "123", "123xxxx", null, null, null));
        assertThat(frame.readerIndex()).isZero();
    }

    @Test
    void readsErrorsAndAcks() throws IOException {
        assertThat(ServerFrameReader.read(json("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow\"}")).code())
                .isEqualTo("rate_limited");
        assertThat(ServerFrameReader.read(json("{\"type\":\"sent\",\"ref\":\"9\",\"id\":\"9\",\"seq\":1}")).id())
                .isEqualTo("9");
    }

    @Test
    void readsWhichSendAnErrorIsAbout() throws IOException {
        var error = ServerFrameReader.read(json(
                "{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"too many sends\",\"ref\":\"7\"}"));

        assertThat(error.ref()).isEqualTo("7");
        assertThat(error.describeError()).isEqualTo("rate_limited (ref 7): too many sends");
        assertThat(ServerFrameReader.read(json("{\"type\":\"error\"}")).errorCode()).isEqualTo("error_without_code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "\"msg\"", "{\"type\":\"msg\"", "{\"seq\":1}",
            "{\"type\":7}", "{\"type\":\"msg\",\"body\":}", "\u0000\u0001"})
    void refusesWhatIsNotAServerFrame(String text) {
        assertThatThrownBy(() -> ServerFrameReader.read(json(text))).isInstanceOf(IOException.class);
    }

    @Test
    void readsTheScheduledTimeBackFromABody() {
        MessageBody body = new MessageBody(64);
        ByteBuf out = Unpooled.buffer();
        body.writeTo(out, 123_456_789_012L);

        String text = out.toString(StandardCharsets.US_ASCII);

        assertThat(text).hasSize(64).startsWith("123456789012x");
        assertThat(MessageBody.scheduledNanos(text)).isEqualTo(123_456_789_012L);
    }

    @Test
    void aBodyIsNeverCutBelowItsTimestamp() {
        ByteBuf out = Unpooled.buffer();
        new MessageBody(4).writeTo(out, -5_000_000_000L);

        assertThat(MessageBody.scheduledNanos(out.toString(StandardCharsets.US_ASCII))).isEqualTo(-5_000_000_000L);
    }

    @Test
    void aForeignBodyIsNotATimestamp() {
        assertThatThrownBy(() -> MessageBody.scheduledNanos("hello")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> MessageBody.scheduledNanos(null)).isInstanceOf(NumberFormatException.class);
    }
}
