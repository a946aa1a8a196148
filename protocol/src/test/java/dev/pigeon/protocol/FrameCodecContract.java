package dev.pigeon.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link FrameCodec} must do with the frames of {@link FrameFixtures}: give each back
 * unchanged, from bytes and from a stream. A subclass supplies the codec and tests its own format.
 */
abstract class FrameCodecContract<C extends FrameCodec> {
    protected final C codec;

    protected FrameCodecContract(C codec) {
        this.codec = codec;
    }

    @ParameterizedTest
    @MethodSource("dev.pigeon.protocol.FrameFixtures#clientFrames")
    void clientFramesSurviveARoundTrip(Frame.ClientFrame frame) {
        assertThat(codec.decodeClient(codec.encode(frame))).isEqualTo(frame);
        assertThat(codec.decodeClient(new ByteArrayInputStream(encodeToStream(frame)))).isEqualTo(frame);
    }

    @ParameterizedTest
    @MethodSource("dev.pigeon.protocol.FrameFixtures#serverFrames")
    void serverFramesSurviveARoundTrip(Frame.ServerFrame frame) {
        assertThat(codec.decodeServer(codec.encode(frame))).isEqualTo(frame);
        assertThat(codec.decodeServer(new ByteArrayInputStream(encodeToStream(frame)))).isEqualTo(frame);
    }

    private byte[] encodeToStream(Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.encode(frame, out);
        return out.toByteArray();
    }
}
