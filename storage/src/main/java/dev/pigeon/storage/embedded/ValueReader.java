package dev.pigeon.storage.embedded;

/** Reads what {@link ValueWriter} wrote; a malformed value is reported as corruption. */
final class ValueReader {
    private final byte[] bytes;
    private int position;

    /** Starts reading {@code bytes}, checking that they carry {@code expectedVersion}. */
    ValueReader(byte[] bytes, int expectedVersion) {
        this.bytes = bytes;
        int version = nextByte();
        if (version != expectedVersion) {
            throw new IllegalStateException("stored value has format version " + version
                    + ", this build reads version " + expectedVersion);
        }
    }

    long unsigned() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = nextByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("stored value has a malformed varint");
    }

    long signed() {
        long raw = unsigned();
        return (raw >>> 1) ^ -(raw & 1);
    }

    String text() {
        long length = unsigned();
        if (length > bytes.length - position) {
            throw new IllegalStateException("stored value is truncated");
        }
        String text = Text.fromUtf8(bytes, position, (int) length);
        position += (int) length;
        return text;
    }

    String optionalText() {
        return nextByte() == 0 ? null : text();
    }

    /** True when everything has been read: a field added to a value later is absent from older values. */
    boolean atEnd() {
        return position == bytes.length;
    }

    private int nextByte() {
        if (position >= bytes.length) {
            throw new IllegalStateException("stored value is truncated");
        }
        return bytes[position++] & 0xFF;
    }
}
