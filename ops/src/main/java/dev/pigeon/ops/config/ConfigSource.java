package dev.pigeon.ops.config;

/** Where a setting's value came from, strongest first. */
public enum ConfigSource {
    COMMAND_LINE("command line"),
    ENVIRONMENT("environment"),
    FILE("config file"),
    DEFAULT("default");

    private final String description;

    ConfigSource(String description) {
        this.description = description;
    }

    @Override
    public String toString() {
        return description;
    }
}
