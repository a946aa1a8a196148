package dev.pigeon.storage.embedded;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A RocksDB key built from parts: text as a 2-byte length and its UTF-8 bytes, positions as 8
 * big-endian bytes. Length prefixes make a partition's keys share one exact prefix that no other
 * partition has, and big-endian positions sort numerically, so a range read is one iterator slice.
 */
final class Key {
    static final int POSITION_BYTES = Long.BYTES;
    private static final int MAX_TEXT_BYTES = 0xFFFF;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

    private Key() {
    }

    static Key of(String part) {
        return new Key().then(part);
    }

    Key then(String part) {
        byte[] utf8 = Text.utf8(part);
        if (utf8.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("key part longer than " + MAX_TEXT_BYTES + " bytes");
        }
        bytes.write(utf8.length >>> 8);
        bytes.write(utf8.length);
        bytes.writeBytes(utf8);
        return this;
    }

    Key then(long position) {
        bytes.writeBytes(encodePosition(position));
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    /** The key of {@code position} in the partition whose keys start with {@code prefix}. */
    static byte[] at(byte[] prefix, long position) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + POSITION_BYTES);
        writePosition(key, prefix.length, position);
        return key;
    }

    /** True when {@code key} is a position key of the partition {@code prefix}. */
    static boolean isPositionIn(byte[] key, byte[] prefix) {
        return key.length == prefix.length + POSITION_BYTES
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static long positionOf(byte[] key) {
        return decodePosition(key, key.length - POSITION_BYTES);
    }

    static byte[] encodePosition(long position) {
        byte[] out = new byte[POSITION_BYTES];
        writePosition(out, 0, position);
        return out;
    }

    static long decodePosition(byte[] bytes) {
        if (bytes.length != POSITION_BYTES) {
            throw new IllegalStateException("stored position has " + bytes.length + " bytes, expected 8");
        }
        return decodePosition(bytes, 0);
    }

    private static void writePosition(byte[] out, int offset, long position) {
        for (int i = POSITION_BYTES - 1; i >= 0; i--) {
            out[offset + i] = (byte) position;
            position >>>= 8;
        }
    }

    private static long decodePosition(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < POSITION_BYTES; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
