package dev.pigeon.ops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the scripts of ops/bin that start, stop and pause the test servers. Failsafe runs tests in
 * the ops module's directory, where they are {@code bin/<script>}.
 */
final class OpsScripts {
    private static final long PATIENCE_SECONDS = 240;

    private OpsScripts() {
    }

    /** Runs {@code bin/<script> arguments...} and waits for it; fails the test unless it exits 0. */
    static void run(String script, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of("bin", script).toAbsolutePath().toString());
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("pigeon-" + script + "-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                boolean finished = process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
                if (!finished) {
                    process.destroyForcibly();
                }
                String said = Files.readString(output, StandardCharsets.UTF_8);
                assertThat(finished).as("%s finished: %s", command, said).isTrue();
                assertThat(process.exitValue()).as("exit status of %s: %s", command, said).isZero();
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
