package dev.pigeon.storage.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Strict UTF-8: a string with an unpaired surrogate is refused instead of being silently altered. */
final class Text {
    private Text() {
    }

    static byte[] utf8(String text) {
        Objects.requireNonNull(text, "text");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text is not valid Unicode: unpaired surrogate at index " + i);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String fromUtf8(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
