package dev.pigeon.ops.regions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripts of ops/bin that start and stop the services (services, cassandra, redis), run as child
 * processes. Their progress (stderr) goes to {@code progress}; what they print on purpose (stdout) is
 * returned.
 */
public final class OpsBin {
    private final Path dir;
    private final ProcessBuilder.Redirect progress;

    public OpsBin(Path dir, ProcessBuilder.Redirect progress) {
        this.dir = dir;
        this.progress = progress;
    }

    /** ops/bin, found from where this code runs: ops/target/pigeon.jar or ops/target/classes. */
    public static Path locate() {
        try {
            Path codeSource = Path.of(OpsBin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path bin = codeSource.getParent().getParent().resolve("bin");
            if (!Files.isExecutable(bin.resolve("services"))) {
                throw new IllegalStateException("cannot find ops/bin/services next to " + codeSource);
            }
            return bin;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where pigeon runs from", e);
        }
    }

    /**
     * Runs {@code ops/bin/<script> arguments...} and waits for it.
     *
     * @return what it printed on stdout
     * @throws IllegalStateException when it exits with another status than 0
     */
    public String run(String script, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(dir.resolve(script).toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectError(progress).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + ")"
                        + (progress.file() == null ? "" : ": see " + progress.file()));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
