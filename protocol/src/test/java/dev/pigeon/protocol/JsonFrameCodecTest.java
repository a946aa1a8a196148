package dev.pigeon.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFrameCodecTest extends FrameCodecContract<JsonFrameCodec> {

    JsonFrameCodecTest() {
        super(new JsonFrameCodec());
    }

    @ParameterizedTest
    @MethodSource("dev.pigeon.protocol.FrameFixtures#exactJson")
    void framesAreSpelledAsTheProtocolSpellsThem(Frame frame, String json) {
        assertThat(new String(codec.encode(frame), StandardCharsets.UTF_8)).isEqualTo(json);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Frame decoded = frame instanceof Frame.ClientFrame ? codec.decodeClient(bytes) : codec.decodeServer(bytes);
        assertThat(decoded).isEqualTo(frame);
    }

    @Test
    void msgOmitsAFormatOfText() {
        Frame.Msg msg = new Frame.Msg(1, "g:team", 1, "bob", "m1", "hi", "text", 5);

        assertThat(json(msg)).doesNotContain("format");
    }

    @Test
    void historyIsARequestFromAClientAndAnAnswerFromTheServer() {
        byte[] request = utf8("{\"type\":\"history\",\"conversation\":\"g:team\",\"limit\":5}");
        byte[] answer = utf8("{\"type\":\"history\",\"conversation\":\"g:team\",\"messages\":[]}");

        assertThat(codec.decodeClient(request)).isEqualTo(new Frame.History(null, "g:team", null, 5));
        assertThat(codec.decodeServer(answer)).isInstanceOf(Frame.HistoryPage.class);
    }

    @Test
    void unknownFieldsAndExplicitNullsAreIgnored() {
        byte[] json = utf8("{\"x\":{\"deep\":[1,2,{}]},\"type\":\"sync\",\"since\":null,\"limit\":3,\"seq\":\"x\"}");

        assertThat(codec.decodeClient(json)).isEqualTo(new Frame.Sync(null, null, 3));
    }

    @Test
    void aServerFrameFromAClientIsRefusedWithItsRef() {
        assertThatThrownBy(() -> codec.decodeClient(utf8("{\"type\":\"hello\",\"ref\":\"r1\"}")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.ref()).isEqualTo("r1");
                    assertThat(e.getMessage()).contains("'hello'");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"msg\",\"conversation\":\"g:t\",\"conv_seq\":1,\"from\":\"a\",\"id\":\"m\",\"body\":\"b\",\"ts\":1}",
            "{\"type\":\"msg\",\"seq\":\"1\",\"conversation\":\"g:t\",\"conv_seq\":1,\"from\":\"a\",\"id\":\"m\",\"body\":\"b\",\"ts\":1}",
            "{\"type\":\"hello\",\"session\":\"s\",\"user\":\"u\",\"node\":\"n\",\"region\":\"r\",\"epoch\":1,\"head\":1,\"heartbeat_ms\":1}",
            "{\"type\":\"history\",\"conversation\":\"g:t\"}",
            "{\"type\":\"history\",\"conversation\":\"g:t\",\"messages\":[1]}",
            "{\"type\":\"history\",\"conversation\":\"g:t\",\"messages\":{}}",
            "{\"type\":\"history\",\"conversation\":\"g:t\",\"messages\":[{\"conversation\":\"g:t\"}]}",
            "{\"type\":\"synced\",\"head\":1.5}",
            "{\"type\":\"send\",\"id\":\"m\"}",
    })
    void incompleteOrMistypedServerFramesAreRefused(String json) {
        assertThatThrownBy(() -> codec.decodeServer(utf8(json)))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void encodingIntoAStreamFlushesWithoutClosingIt() {
        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new FilterOutputStream(sink) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        codec.encode(new Frame.Pong("p"), out);
        codec.encode(new Frame.Pong("q"), out);

        assertThat(closed).isFalse();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"pong\",\"ref\":\"p\"}"
                + "{\"type\":\"pong\",\"ref\":\"q\"}");
    }

    @Test
    void aFailingInputStreamIsAnIoErrorNotABadFrame() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> codec.decodeClient(broken)).isInstanceOf(UncheckedIOException.class);
    }

    @ParameterizedTest
    @MethodSource("malformedBytes")
    void malformedBytesAreBadRequestsFromBytesAndStreams(byte[] input) {
        Stream.<Runnable>of(() -> codec.decodeClient(input), () -> codec.decodeServer(input),
                        () -> codec.decodeClient(new ByteArrayInputStream(input)))
                .forEach(decode -> assertThatThrownBy(decode::run)
                        .isInstanceOfSatisfying(ProtocolException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST)));
    }

    static Stream<byte[]> malformedBytes() {
        return Stream.of(new byte[0], utf8("  \n"), new byte[]{(byte) 0xff, (byte) 0xfe, 0, 0},
                new byte[]{'{', '"', 't', '"', ':', '"', (byte) 0xc3, '"', '}'}, utf8("{\"type\":\"ping\"}}"),
                utf8("[".repeat(100_000)), utf8("{\"type\":\"ping\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}"));
    }

    private String json(Frame frame) {
        return new String(codec.encode(frame), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
