package dev.pigeon.protocol;

/** UTF-8 sizes of Java strings, computed without encoding them. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The number of bytes {@code text} takes in UTF-8, or -1 if it holds an unpaired surrogate,
     * which has no UTF-8 form (a JSON {@code "\ud800"} escape can produce one).
     */
    public static long encodedLength(CharSequence text) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                return -1;
            }
        }
        return bytes;
    }
}
