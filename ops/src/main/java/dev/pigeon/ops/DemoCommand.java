package dev.pigeon.ops;

import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.embedded.EmbeddedPigeon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pigeon demo}: one node with the embedded store, the in-process router, dev tokens and the
 * demo page. Runs until the process is told to stop (SIGTERM, Ctrl-C), then shuts down in order.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        optionListHeading = "Options:%n",
        description = {
                "Run Pigeon on one node: embedded durable store, in-process router, the demo page on GET / and "
                        + "dev tokens on POST /v1/dev/token?user=NAME.",
                "Stops cleanly on SIGTERM or Ctrl-C: sessions are told to reconnect, in-flight sends finish, "
                        + "then the store is closed."},
        footer = {"", "Each option is also an environment variable (--sse-keepalive: PIGEON_SSE_KEEPALIVE) and a key "
                + "of the --config file (sse-keepalive = 15s). Command line beats environment beats file beats default."})
final class DemoCommand implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    DemoCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The configuration this invocation asks for. */
    PigeonConfig config() {
        return PigeonConfig.resolve(SettingOptions.given(spec.commandLine().getParseResult(), PigeonConfig.ALL),
                environment);
    }

    @Override
    public Integer call() {
        EmbeddedPigeon pigeon = EmbeddedPigeon.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(pigeon::stop, "pigeon-shutdown"));
        pigeon.awaitStopped();
        return 0;
    }
}
