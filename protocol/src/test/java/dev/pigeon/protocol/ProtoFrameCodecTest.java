package dev.pigeon.protocol;

import dev.pigeon.protocol.proto.SendFrame;
import dev.pigeon.protocol.proto.SyncFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtoFrameCodecTest extends FrameCodecContract<ProtoFrameCodec> {
    private final JsonFrameCodec json = new JsonFrameCodec();

    ProtoFrameCodecTest() {
        super(new ProtoFrameCodec());
    }

    @ParameterizedTest
    @MethodSource("dev.pigeon.protocol.FrameFixtures#exactJson")
    void aFrameMeansTheSameInBothFormats(Frame frame, String spelled) {
        byte[] fromJson = spelled.getBytes(StandardCharsets.UTF_8);
        if (frame instanceof Frame.ClientFrame) {
            assertThat(codec.decodeClient(codec.encode(json.decodeClient(fromJson)))).isEqualTo(frame);
        } else {
            assertThat(codec.decodeServer(codec.encode(json.decodeServer(fromJson)))).isEqualTo(frame);
        }
    }

    @Test
    void absentOptionalFieldsStayDistinctFromZero() throws Exception {
        SyncFrame absent = dev.pigeon.protocol.proto.Frame.parseFrom(codec.encode(new Frame.Sync(null, null, null)))
                .getSync();
        SyncFrame zero = dev.pigeon.protocol.proto.Frame.parseFrom(codec.encode(new Frame.Sync(null, 0L, 0)))
                .getSync();

        assertThat(absent.hasSince()).isFalse();
        assertThat(absent.hasLimit()).isFalse();
        assertThat(zero.hasSince()).isTrue();
        assertThat(zero.getSince()).isZero();
    }

    @Test
    void historyRequestsAndAnswersTravelInDifferentFields() throws Exception {
        var request = dev.pigeon.protocol.proto.Frame.parseFrom(codec.encode(new Frame.History(null, "g:t", null, 5)));
        var answer = dev.pigeon.protocol.proto.Frame.parseFrom(
                codec.encode(new Frame.HistoryPage(null, "g:t", java.util.List.of(FrameFixtures.TEXT_ENTRY))));

        assertThat(request.getKindCase()).isEqualTo(dev.pigeon.protocol.proto.Frame.KindCase.HISTORY);
        assertThat(answer.getKindCase()).isEqualTo(dev.pigeon.protocol.proto.Frame.KindCase.HISTORY_PAGE);
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedInputIsABadRequest(byte[] input) {
        Stream.<Runnable>of(() -> codec.decodeClient(input), () -> codec.decodeServer(input),
                        () -> codec.decodeClient(new ByteArrayInputStream(input)),
                        () -> codec.decodeServer(new ByteArrayInputStream(input)))
                .forEach(decode -> assertThatThrownBy(decode::run)
                        .isInstanceOfSatisfying(ProtocolException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST)));
    }

    static Stream<byte[]> malformed() {
        byte[] send = dev.pigeon.protocol.proto.Frame.newBuilder()
                .setSend(SendFrame.newBuilder().setId("m1").setBody("hello")).build().toByteArray();
        byte[] invalidUtf8 = send.clone();
        invalidUtf8[invalidUtf8.length - 1] = (byte) 0xff;
        byte[] unknownKind = {(byte) 0xfa, 0x07, 0x00}; // field 127, an empty message
        return Stream.of(
                new byte[0],
                unknownKind,
                new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff},
                java.util.Arrays.copyOf(send, send.length - 2),
                invalidUtf8,
                "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFrameOfTheOtherDirectionIsRefused() {
        assertThatThrownBy(() -> codec.decodeClient(codec.encode(new Frame.Pong("r"))))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> codec.decodeServer(codec.encode(new Frame.Ping("r"))))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void decodedFramesGoThroughTheSameValidation() {
        Frame.ClientFrame send = codec.decodeClient(codec.encode(new Frame.Send(null, "m1", null, "bob", "x", "text")));

        assertThat(new FrameValidator().validate(send, "alice"))
                .isEqualTo(new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null));
    }
}
