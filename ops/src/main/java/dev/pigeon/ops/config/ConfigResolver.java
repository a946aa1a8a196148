package dev.pigeon.ops.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds every setting's value with one precedence: command-line option, then {@code PIGEON_*}
 * environment variable, then the config file, then the default. The config file itself is named by
 * {@code fileSetting} on the command line or in the environment. Every problem (an unknown key in the
 * file, a value that does not parse) is collected and reported together in one {@link ConfigException}.
 */
public final class ConfigResolver {
    private static final Logger log = LoggerFactory.getLogger(ConfigResolver.class);
    private static final String ENV_PREFIX = "PIGEON_";

    private final List<Setting<?>> settings;
    private final Setting<Path> fileSetting;

    public ConfigResolver(List<Setting<?>> settings, Setting<Path> fileSetting) {
        if (!settings.contains(fileSetting)) {
            throw new IllegalArgumentException("the config file setting must be one of the settings");
        }
        this.settings = List.copyOf(settings);
        this.fileSetting = fileSetting;
    }

    /**
     * @param commandLine the options given on the command line, by key, as text
     * @param environment the process environment (only {@code PIGEON_*} variables are read)
     */
    public ResolvedConfig resolve(Map<String, String> commandLine, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<String, ResolvedConfig.Entry> entries = new LinkedHashMap<>();

        ResolvedConfig.Entry fileEntry = resolveOne(fileSetting, commandLine, environment, Map.of(), problems);
        entries.put(fileSetting.key(), fileEntry);
        Map<String, String> file = fileEntry.value() == null ? Map.of() : readFile((Path) fileEntry.value(), problems);

        for (Setting<?> setting : settings) {
            if (setting != fileSetting) {
                entries.put(setting.key(), resolveOne(setting, commandLine, environment, file, problems));
            }
        }
        warnAboutUnknownEnvironment(environment);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        return new ResolvedConfig(entries);
    }

    private static <T> ResolvedConfig.Entry resolveOne(Setting<T> setting, Map<String, String> commandLine,
                                                       Map<String, String> environment, Map<String, String> file,
                                                       List<String> problems) {
        if (commandLine.containsKey(setting.key())) {
            return parse(setting, commandLine.get(setting.key()), ConfigSource.COMMAND_LINE, setting.option(), problems);
        }
        if (environment.containsKey(setting.envVar())) {
            return parse(setting, environment.get(setting.envVar()), ConfigSource.ENVIRONMENT, setting.envVar(), problems);
        }
        if (file.containsKey(setting.key())) {
            return parse(setting, file.get(setting.key()), ConfigSource.FILE, "key '" + setting.key() + "' of the config file", problems);
        }
        return new ResolvedConfig.Entry(setting.defaultValue(), ConfigSource.DEFAULT);
    }

    private static <T> ResolvedConfig.Entry parse(Setting<T> setting, String text, ConfigSource source, String origin,
                                                  List<String> problems) {
        try {
            return new ResolvedConfig.Entry(setting.type().parse(text), source);
        } catch (IllegalArgumentException e) {
            problems.add("bad value for " + setting.key() + " (" + origin + "): " + e.getMessage());
            return new ResolvedConfig.Entry(setting.defaultValue(), source);
        }
    }

    private Map<String, String> readFile(Path path, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("cannot read config file " + path + ": " + e.getMessage());
            return Map.of();
        }
        Set<String> known = settings.stream().filter(s -> s != fileSetting).map(Setting::key).collect(Collectors.toSet());
        Map<String, String> values = new HashMap<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (known.contains(key)) {
                values.put(key, properties.getProperty(key).trim());
            } else {
                problems.add("unknown key '" + key + "' in config file " + path
                        + " (the keys are listed by 'pigeon demo --help' and in docs/configuration.md)");
            }
        }
        return values;
    }

    private void warnAboutUnknownEnvironment(Map<String, String> environment) {
        Set<String> known = settings.stream().map(Setting::envVar).collect(Collectors.toSet());
        environment.keySet().stream()
                .filter(name -> name.startsWith(ENV_PREFIX) && !known.contains(name))
                .sorted()
                .forEach(name -> log.warn("ignoring environment variable {}: Pigeon has no such setting", name));
    }
}
