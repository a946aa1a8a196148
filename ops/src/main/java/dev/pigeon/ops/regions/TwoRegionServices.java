package dev.pigeon.ops.regions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Two regions' services, as {@code ops/bin/services up --regions} starts them in one directory and
 * names them in the variables it prints: the first region has {@code PIGEON_TEST_REDIS} and data
 * centre {@code PIGEON_TEST_CASSANDRA_DC} at {@code PIGEON_TEST_CASSANDRA}, the second
 * {@code PIGEON_TEST_REDIS_2} and data centre {@code PIGEON_TEST_CASSANDRA_DC2_NAME} at
 * {@code PIGEON_TEST_CASSANDRA_DC2}; {@code PIGEON_TEST_SERVICES} is the directory.
 */
public record TwoRegionServices(RegionServices first, RegionServices second, Path dir) {

    /** The variable that tells whether a second data centre runs at all. */
    public static final String SECOND_DATACENTER_VARIABLE = "PIGEON_TEST_CASSANDRA_DC2";

    /**
     * Reads the variables {@code ops/bin/services up --regions} printed (or that the environment holds).
     *
     * @throws IllegalStateException naming a variable that is missing
     */
    public static TwoRegionServices fromVariables(Map<String, String> variables) {
        Path dir = Path.of(required(variables, "PIGEON_TEST_SERVICES"));
        return new TwoRegionServices(
                new RegionServices(required(variables, "PIGEON_TEST_REDIS"), required(variables, "PIGEON_TEST_CASSANDRA"),
                        variables.getOrDefault("PIGEON_TEST_CASSANDRA_DC", "dc1"),
                        dir.resolve("redis"), dir.resolve("cassandra")),
                new RegionServices(required(variables, "PIGEON_TEST_REDIS_2"), required(variables, SECOND_DATACENTER_VARIABLE),
                        variables.getOrDefault("PIGEON_TEST_CASSANDRA_DC2_NAME", "dc2"),
                        dir.resolve("redis-2"), dir.resolve("cassandra-dc2")),
                dir);
    }

    /** Both, in order: the first region's, then the second's. */
    public List<RegionServices> both() {
        return List.of(first, second);
    }

    private static String required(Map<String, String> variables, String name) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the services with `ops/bin/services up --dir DIR "
                    + "--regions` and set the variables it prints");
        }
        return value.strip();
    }
}
