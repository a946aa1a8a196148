package dev.pigeon.ops.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key: its name, the kind of value, its default (null when it has none) and what
 * it means. The same key is the command-line option {@code --key}, the environment variable
 * {@code PIGEON_KEY} and the properties-file key {@code key}.
 *
 * @param secret true when the value must never be printed or logged
 */
public record Setting<T>(String key, ValueType<T> type, T defaultValue, String description, boolean secret) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("setting keys are lower-case words joined by '-': " + key);
        }
    }

    public static <T> Setting<T> of(String key, ValueType<T> type, T defaultValue, String description) {
        return new Setting<>(key, type, defaultValue, description, false);
    }

    public static <T> Setting<T> secret(String key, ValueType<T> type, T defaultValue, String description) {
        return new Setting<>(key, type, defaultValue, description, true);
    }

    public String option() {
        return "--" + key;
    }

    public String envVar() {
        return "PIGEON_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default as it would be written in a file, or null when there is none. */
    public String defaultText() {
        return defaultValue == null ? null : type.format(defaultValue);
    }

    /** The value as it may be shown: secrets are masked. */
    public String display(T value) {
        if (value == null) {
            return "(none)";
        }
        return secret ? "****" : type.format(value);
    }
}
