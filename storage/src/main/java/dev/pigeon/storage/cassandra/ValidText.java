package dev.pigeon.storage.cassandra;

import java.util.Objects;

/**
 * Refuses text that is not valid Unicode: the driver would encode an unpaired surrogate as '?',
 * silently altering what it stores.
 */
final class ValidText {
    private ValidText() {
    }

    static String check(String name, String text) {
        Objects.requireNonNull(text, name);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " is not valid Unicode: unpaired surrogate at index " + i);
            }
        }
        return text;
    }

    /** Like {@link #check} but lets null through, for optional fields. */
    static String checkOptional(String name, String text) {
        return text == null ? null : check(name, text);
    }
}
