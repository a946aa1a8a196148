package dev.pigeon.ops.regions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwoRegionServicesTest {

    @TempDir
    Path dir;

    /** What `ops/bin/services up --dir DIR --regions` prints for a set beside the default one. */
    static Map<String, String> variables(Path dir) {
        return Map.of(
                "PIGEON_TEST_REDIS", "redis://127.0.0.1:6392",
                "PIGEON_TEST_CASSANDRA", "127.0.0.3:9042",
                "PIGEON_TEST_CASSANDRA_DC", "dc1",
                "PIGEON_TEST_REDIS_2", "redis://127.0.0.1:6393",
                "PIGEON_TEST_CASSANDRA_DC2", "127.0.0.4:9042",
                "PIGEON_TEST_CASSANDRA_DC2_NAME", "dc2",
                "PIGEON_TEST_SERVICES", dir.toString());
    }

    static TwoRegionServices servicesIn(Path dir) {
        return TwoRegionServices.fromVariables(variables(dir));
    }

    @Test
    void eachRegionHasItsRedisItsDataCentreAndTheirDirectories() {
        TwoRegionServices services = servicesIn(dir);

        assertThat(services.first()).isEqualTo(new RegionServices("redis://127.0.0.1:6392", "127.0.0.3:9042", "dc1",
                dir.resolve("redis"), dir.resolve("cassandra")));
        assertThat(services.second()).isEqualTo(new RegionServices("redis://127.0.0.1:6393", "127.0.0.4:9042", "dc2",
                dir.resolve("redis-2"), dir.resolve("cassandra-dc2")));
        assertThat(services.both()).containsExactly(services.first(), services.second());
        assertThat(services.dir()).isEqualTo(dir);
    }

    @Test
    void aMissingVariableIsNamed() {
        Map<String, String> variables = new HashMap<>(variables(dir));
        variables.remove("PIGEON_TEST_CASSANDRA_DC2");

        assertThatThrownBy(() -> TwoRegionServices.fromVariables(variables))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("PIGEON_TEST_CASSANDRA_DC2 is not set: start the services with "
                        + "`ops/bin/services up --dir DIR --regions`");
    }

    @Test
    void theDataCentreNamesDefaultToThoseOfOpsBinServices() {
        Map<String, String> variables = new HashMap<>(variables(dir));
        variables.remove("PIGEON_TEST_CASSANDRA_DC");
        variables.remove("PIGEON_TEST_CASSANDRA_DC2_NAME");

        TwoRegionServices services = TwoRegionServices.fromVariables(variables);

        assertThat(services.first().datacenter()).isEqualTo("dc1");
        assertThat(services.second().datacenter()).isEqualTo("dc2");
    }
}
