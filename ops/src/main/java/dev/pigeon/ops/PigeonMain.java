package dev.pigeon.ops;

/** The entry point of {@code pigeon.jar} and {@code ops/bin/pigeon}. */
public final class PigeonMain {

    private PigeonMain() {
    }

    public static void main(String[] args) {
        int exitCode = PigeonCli.commandLine(System.getenv()).execute(args);
        // demo returns only once the node has stopped; exit then, whatever threads linger.
        System.exit(exitCode);
    }
}
