package dev.pigeon.ops.config;

import java.util.Map;

/** Every setting's value and where it came from, as {@link ConfigResolver} found them. */
public final class ResolvedConfig {

    /** One setting's value; {@code value} is null only for a setting without default that was not given. */
    record Entry(Object value, ConfigSource source) {
    }

    private final Map<String, Entry> entries;

    ResolvedConfig(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) entry(setting).value();
    }

    public ConfigSource source(Setting<?> setting) {
        return entry(setting).source();
    }

    private Entry entry(Setting<?> setting) {
        Entry entry = entries.get(setting.key());
        if (entry == null) {
            throw new IllegalArgumentException("not a resolved setting: " + setting.key());
        }
        return entry;
    }
}
