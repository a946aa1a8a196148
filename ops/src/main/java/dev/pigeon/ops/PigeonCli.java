package dev.pigeon.ops;

import dev.pigeon.ops.config.ConfigException;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.load.LoadCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The {@code pigeon} command line: its subcommands, and how failures become exit codes. */
public final class PigeonCli {
    private static final Logger log = LoggerFactory.getLogger(PigeonCli.class);
    private static final String SUBCOMMAND_DETAILS = "subcommandDetails";
    static final int CONFIG_ERROR = 2;  // picocli's own code for usage errors
    static final int FAILURE = 1;

    @Command(name = "pigeon", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Pigeon, a realtime messaging gateway.",
            footer = {"", "Every setting is also a PIGEON_* environment variable and a config-file key: "
                    + "see docs/configuration.md."})
    static final class Root implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        /** Without a subcommand there is nothing to run: show what there is. */
        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return CONFIG_ERROR;
        }
    }

    private PigeonCli() {
    }

    /**
     * The command line, reading {@code PIGEON_*} settings from {@code environment} (the process
     * environment in production, a plain map in tests).
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine demo = new CommandLine(new DemoCommand(environment));
        SettingOptions.addTo(demo.getCommandSpec(), PigeonConfig.embeddedSettings());
        CommandLine node = new CommandLine(new NodeCommand(environment));
        SettingOptions.addTo(node.getCommandSpec(), PigeonConfig.clusterSettings());
        CommandLine root = new CommandLine(new Root())
                .addSubcommand("demo", demo)
                .addSubcommand("node", node)
                .addSubcommand("cluster", new ClusterCommand())
                .addSubcommand("regions", new dev.pigeon.ops.regions.RegionsCommand())
                .addSubcommand("load", new LoadCommand())
                .addSubcommand("chat", new dev.pigeon.ops.chat.ChatCommand(System.in))
                .addSubcommand("drill", new dev.pigeon.ops.regions.DrillCommand())
                .addSubcommand("config-doc", new ConfigDocCommand())
                .addSubcommand("help", new HelpCommand());
        root.setExecutionExceptionHandler(PigeonCli::onFailure);
        documentSubcommandsInRootHelp(root);
        return root;
    }

    private static int onFailure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        if (e instanceof ConfigException) {
            command.getErr().println("pigeon: configuration error:");
            e.getMessage().lines().forEach(line -> command.getErr().println("  " + line));
            return CONFIG_ERROR;
        }
        log.debug("pigeon {} failed", command.getCommandName(), e);
        command.getErr().println("pigeon " + command.getCommandName() + ": "
                + (e.getMessage() != null ? e.getMessage() : e.toString()));
        return FAILURE;
    }

    /** {@code pigeon --help} shows every subcommand with all of its options, not only their names. */
    private static void documentSubcommandsInRootHelp(CommandLine root) {
        List<String> sections = new ArrayList<>(root.getHelpSectionKeys());
        sections.add(SUBCOMMAND_DETAILS);
        root.setHelpSectionKeys(sections);
        root.getHelpSectionMap().put(SUBCOMMAND_DETAILS, help -> {
            StringBuilder details = new StringBuilder();
            root.getSubcommands().forEach((name, sub) -> {
                if (!(sub.getCommand() instanceof HelpCommand)) {
                    details.append(String.format("%n---- pigeon %s ----%n", name)).append(sub.getUsageMessage());
                }
            });
            return details.toString();
        });
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PigeonCli.class.getPackage().getImplementationVersion();
            return new String[] {"pigeon " + (version == null ? "(development build)" : version)};
        }
    }
}
