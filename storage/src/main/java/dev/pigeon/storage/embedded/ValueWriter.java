package dev.pigeon.storage.embedded;

import java.io.ByteArrayOutputStream;

/** Writes a value: unsigned varints, zig-zag signed varints and length-prefixed UTF-8 text. */
final class ValueWriter {
    private final ByteArrayOutputStream out;

    ValueWriter(int version, int sizeHint) {
        out = new ByteArrayOutputStream(sizeHint);
        out.write(version);
    }

    ValueWriter unsigned(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    ValueWriter signed(long value) {
        return unsigned((value << 1) ^ (value >> 63));
    }

    ValueWriter text(String value) {
        byte[] utf8 = Text.utf8(value);
        unsigned(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    /** Text that may be absent: a presence flag, then the text. */
    ValueWriter optionalText(String value) {
        out.write(value == null ? 0 : 1);
        return value == null ? this : text(value);
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
