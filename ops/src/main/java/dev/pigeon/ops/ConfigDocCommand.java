package dev.pigeon.ops;

import dev.pigeon.ops.config.ConfigDoc;
import dev.pigeon.ops.config.PigeonConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pigeon config-doc}: prints the configuration reference (docs/configuration.md). */
@Command(name = "config-doc", mixinStandardHelpOptions = true,
        description = "Print the configuration reference in Markdown (the source of docs/configuration.md).")
final class ConfigDocCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(ConfigDoc.markdown(PigeonConfig.ALL));
        spec.commandLine().getOut().flush();
    }
}
