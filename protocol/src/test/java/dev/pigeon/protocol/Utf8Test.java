package dev.pigeon.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "hello", "é", "\u07ff", "\u0800", "€", "\uffff", "\uD83D\uDE00",
            "a\uD83D\uDE00é€\u0000\n", "日本語のテキスト"})
    void countsWhatStringEncodingProduces(String text) {
        assertThat(Utf8.encodedLength(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "\uDC00", "a\uD83D", "\uDE00\uD83D", "x\uD83Dy"})
    void unpairedSurrogatesHaveNoLength(String text) {
        assertThat(Utf8.encodedLength(text)).isEqualTo(-1);
    }
}
