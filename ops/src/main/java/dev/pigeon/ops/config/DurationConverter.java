package dev.pigeon.ops.config;

import picocli.CommandLine;

import java.time.Duration;

/** Reads a command-line duration such as {@code 90s}, {@code 500ms} or {@code 2m} ({@link Durations}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
