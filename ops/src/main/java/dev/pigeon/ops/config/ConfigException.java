package dev.pigeon.ops.config;

/** A configuration that cannot be used: an unknown key, a bad value, an unreadable file. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
