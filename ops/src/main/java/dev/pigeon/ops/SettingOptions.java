package dev.pigeon.ops;

import dev.pigeon.ops.config.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns setting declarations into command-line options, so that every key is an option with its
 * documentation, and reads back the ones given. Values stay text here: {@link dev.pigeon.ops.config.ConfigResolver}
 * parses every source the same way.
 */
final class SettingOptions {

    private SettingOptions() {
    }

    static void addTo(CommandSpec spec, List<Setting<?>> settings) {
        for (Setting<?> setting : settings) {
            spec.addOption(OptionSpec.builder(setting.option())
                    .paramLabel(setting.type().label())
                    .type(String.class)
                    .arity("1")
                    .description(help(setting))
                    .build());
        }
    }

    /** The options given on the command line, by setting key. */
    static Map<String, String> given(ParseResult parsed, List<Setting<?>> settings) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Setting<?> setting : settings) {
            if (parsed.hasMatchedOption(setting.option())) {
                given.put(setting.key(), parsed.matchedOptionValue(setting.option(), ""));
            }
        }
        return given;
    }

    private static String help(Setting<?> setting) {
        String defaultText = setting.defaultText();
        String shownDefault = defaultText == null ? "" : " Default: " + defaultText + ".";
        // picocli reads '%' as a format specifier in descriptions.
        return (setting.description() + shownDefault + " Env: " + setting.envVar() + ".").replace("%", "%%");
    }
}
