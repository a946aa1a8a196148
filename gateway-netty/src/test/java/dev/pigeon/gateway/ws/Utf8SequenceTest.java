package dev.pigeon.gateway.ws;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8SequenceTest {

    private final CharsetDecoder strictDecoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private static boolean acceptsWhole(byte[] bytes) {
        Utf8Sequence utf8 = new Utf8Sequence();
        for (byte b : bytes) {
            if (!utf8.accept(b)) {
                return false;
            }
        }
        return utf8.isComplete();
    }

    private boolean isUtf8(byte[] bytes) {
        try {
            strictDecoder.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Inputs on which this class and the JDK's strict decoder disagree, in hex. */
    private final List<String> disagreements = new ArrayList<>();

    private void compare(byte... bytes) {
        if (acceptsWhole(bytes) != isUtf8(bytes)) {
            disagreements.add(HexFormat.ofDelimiter(" ").formatHex(bytes));
        }
    }

    @Test
    void agreesWithTheJdkOnEveryOneAndTwoByteInput() {
        for (int first = 0; first < 256; first++) {
            compare((byte) first);
            for (int second = 0; second < 256; second++) {
                compare((byte) first, (byte) second);
            }
        }

        assertThat(disagreements).isEmpty();
    }

    @Test
    void agreesWithTheJdkOnThreeByteInputsAroundEveryBoundary() {
        int[] continuations = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int first = 0xC0; first < 256; first++) {
            for (int second : continuations) {
                for (int third : continuations) {
                    compare((byte) first, (byte) second, (byte) third);
                }
            }
        }

        assertThat(disagreements).isEmpty();
    }

    @Test
    void agreesWithTheJdkOnFourByteInputsAroundEveryBoundary() {
        int[] continuations = {0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0};
        for (int first = 0xEF; first < 256; first++) {
            for (int second : continuations) {
                for (int third : continuations) {
                    for (int fourth : continuations) {
                        compare((byte) first, (byte) second, (byte) third, (byte) fourth);
                    }
                }
            }
        }

        assertThat(disagreements).isEmpty();
    }

    @Test
    void acceptsEveryCharacterOfRealText() {
        byte[] text = "κόσμε – 世界 – 🐦 – \u0000 – \uFFFF – \uD83F\uDFFF".getBytes(StandardCharsets.UTF_8);

        assertThat(acceptsWhole(text)).isTrue();
    }

    @Test
    void textEndingInsideACharacterIsIncomplete() {
        Utf8Sequence utf8 = new Utf8Sequence();

        assertThat(utf8.accept(0xF0)).isTrue();
        assertThat(utf8.accept(0x9F)).isTrue();
        assertThat(utf8.isComplete()).isFalse();

        utf8.reset();
        assertThat(utf8.isComplete()).isTrue();
    }
}
