package dev.pigeon.ops.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes written as a whole number and an optional binary unit: {@code 512}, {@code 64KiB}, {@code 1MiB}. */
public final class Sizes {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,10})\\s*(b|kib|mib|gib)?");
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    private Sizes() {
    }

    /** The size in bytes; at most {@link Integer#MAX_VALUE}, which is what buffers and frames can hold. */
    public static int parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size: write a whole number of bytes, optionally with B, KiB, MiB or GiB, e.g. 64KiB, 1MiB");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit) {
            case "kib" -> KIB;
            case "mib" -> MIB;
            case "gib" -> 1024L * MIB;
            default -> 1;
        };
        long bytes = amount * factor;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large: at most 2GiB - 1 byte");
        }
        return (int) bytes;
    }

    /** The largest unit that writes {@code bytes} exactly: {@code 64KiB}, {@code 1MiB}, {@code 1000}. */
    public static String format(int bytes) {
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        if (bytes != 0 && bytes % KIB == 0) {
            return bytes / KIB + "KiB";
        }
        return Integer.toString(bytes);
    }
}
