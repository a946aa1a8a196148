package dev.pigeon.ops.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PigeonConfigTest {

    @TempDir
    Path dir;

    @Test
    void withNothingGivenTheDemoDefaultsApply() {
        PigeonConfig config = PigeonConfig.defaults();

        assertThat(config.get(PigeonConfig.PUBLIC_PORT)).isEqualTo(8080);
        assertThat(config.get(PigeonConfig.ADMIN_PORT)).isEqualTo(9090);
        assertThat(config.get(PigeonConfig.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.get(PigeonConfig.JWT_SECRET)).isEqualTo(PigeonConfig.DEMO_JWT_SECRET);
        assertThat(config.get(PigeonConfig.ADMIN_TOKEN)).isEqualTo(PigeonConfig.DEMO_ADMIN_TOKEN);
        assertThat(config.get(PigeonConfig.SSE_KEEPALIVE)).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.source(PigeonConfig.PUBLIC_PORT)).isEqualTo(ConfigSource.DEFAULT);
        assertThat(config.gateway().sseMaxLifetime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.frameLimits().maxBodyBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = write("port = 1001\nadmin-port = 2001\nsse-keepalive = 5s\nnode-id = from-file\n");
        Map<String, String> env = Map.of(
                "PIGEON_CONFIG", file.toString(),
                "PIGEON_PORT", "1002",
                "PIGEON_ADMIN_PORT", "2002");
        Map<String, String> cli = Map.of("port", "1003");

        PigeonConfig config = PigeonConfig.resolve(cli, env);

        assertThat(config.get(PigeonConfig.PUBLIC_PORT)).isEqualTo(1003);
        assertThat(config.source(PigeonConfig.PUBLIC_PORT)).isEqualTo(ConfigSource.COMMAND_LINE);
        assertThat(config.get(PigeonConfig.ADMIN_PORT)).isEqualTo(2002);
        assertThat(config.source(PigeonConfig.ADMIN_PORT)).isEqualTo(ConfigSource.ENVIRONMENT);
        assertThat(config.get(PigeonConfig.SSE_KEEPALIVE)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.source(PigeonConfig.SSE_KEEPALIVE)).isEqualTo(ConfigSource.FILE);
        assertThat(config.get(PigeonConfig.REGION)).isEqualTo("local");
        assertThat(config.source(PigeonConfig.REGION)).isEqualTo(ConfigSource.DEFAULT);

        assertThat(config.gateway().port()).isEqualTo(1003);
        assertThat(config.gateway().nodeId()).isEqualTo("from-file");
        assertThat(config.gateway().sseKeepalive()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theConfigFileOnTheCommandLineBeatsTheOneInTheEnvironment() throws IOException {
        Path fromEnv = write("region = env-file\n");
        Path fromCli = Files.writeString(dir.resolve("cli.properties"), "region = cli-file\n");

        PigeonConfig config = PigeonConfig.resolve(Map.of("config", fromCli.toString()),
                Map.of("PIGEON_CONFIG", fromEnv.toString()));

        assertThat(config.get(PigeonConfig.REGION)).isEqualTo("cli-file");
    }

    @Test
    void everyKindOfValueIsReadFromText() {
        PigeonConfig config = PigeonConfig.resolve(Map.of(
                "max-frame-bytes", "2MiB",
                "max-body-bytes", "16KiB",
                "sse-retry", "500ms",
                "cors-origins", "https://a.example,https://b.example",
                "store-sync-writes", "false",
                "data-dir", "/var/lib/pigeon"), Map.of());

        assertThat(config.gateway().maxFrameBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.frameLimits().maxBodyBytes()).isEqualTo(16 * 1024);
        assertThat(config.gateway().sseRetry()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.gateway().corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(config.storeOptions().syncWrites()).isFalse();
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pigeon"));
    }

    @Test
    void anUnknownKeyInTheFileStopsTheStartAndIsNamed() throws IOException {
        Path file = write("port = 8081\nsse-keepalve = 15s\n");

        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("config", file.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'sse-keepalve'")
                .hasMessageContaining(file.toString());
    }

    @Test
    void theConfigFileCannotNameAnotherConfigFile() throws IOException {
        Path file = write("config = other.properties\n");

        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("config", file.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'config'");
    }

    @Test
    void aMissingConfigFileIsAnError() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of(), Map.of("PIGEON_CONFIG", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file " + missing);
    }

    @Test
    void everyBadValueIsReportedWithWhereItCameFrom() throws IOException {
        Path file = write("sse-keepalive = 15 parsecs\n");

        assertThatThrownBy(() -> PigeonConfig.resolve(
                Map.of("config", file.toString(), "port", "eighty"),
                Map.of("PIGEON_MAX_FRAME_BYTES", "1MB")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad value for port (--port): 'eighty' is not a whole number")
                .hasMessageContaining("bad value for max-frame-bytes (PIGEON_MAX_FRAME_BYTES): '1MB' is not a size")
                .hasMessageContaining("bad value for sse-keepalive (key 'sse-keepalive' of the config file): "
                        + "'15 parsecs' is not a duration");
    }

    @Test
    void settingsThatContradictEachOtherAreReportedByTheirKeys() {
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("poll-default-wait", "40s"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("inconsistent settings: poll-default-wait must not exceed poll-max-wait");
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("write-buffer-high-water", "1KiB"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("write-buffer-high-water must not be below write-buffer-low-water");
    }

    @Test
    void environmentVariablesOfOtherProgramsAreIgnored() {
        PigeonConfig config = PigeonConfig.resolve(Map.of(), Map.of("PORT", "1", "PIGEON_NO_SUCH_KEY", "x"));

        assertThat(config.get(PigeonConfig.PUBLIC_PORT)).isEqualTo(8080);
    }

    @Test
    void everyKeyHasItsOptionAndVariable() {
        assertThat(PigeonConfig.ALL).extracting(Setting::key).doesNotHaveDuplicates();
        assertThat(PigeonConfig.DATA_DIR.option()).isEqualTo("--data-dir");
        assertThat(PigeonConfig.DATA_DIR.envVar()).isEqualTo("PIGEON_DATA_DIR");
        assertThat(PigeonConfig.JWT_SECRET.envVar()).isEqualTo("PIGEON_JWT_SECRET");
        assertThat(PigeonConfig.JWT_SECRET.display("s3cret")).isEqualTo("****");
    }

    @Test
    void theClusterKeysDefaultToTheLocalServicesOfOpsBinServices() {
        PigeonConfig config = PigeonConfig.defaults();

        assertThat(config.get(PigeonConfig.REDIS)).isEqualTo("redis://127.0.0.1:6390");
        assertThat(config.get(PigeonConfig.REDIS_PREFIX)).isEqualTo("pigeon");
        assertThat(config.get(PigeonConfig.CASSANDRA)).isEqualTo("127.0.0.1:9042");
        assertThat(config.get(PigeonConfig.CASSANDRA_DATACENTER)).isEqualTo("dc1");
        assertThat(config.get(PigeonConfig.KEYSPACE)).isEqualTo("pigeon");
        assertThat(config.cassandraOptions().contactPoints()).extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("127.0.0.1:9042");
    }

    @Test
    void theClusterKeysComeFromEverySource() throws IOException {
        Path file = write("keyspace = from_file\nredis-prefix = staging\n");

        PigeonConfig config = PigeonConfig.resolve(
                Map.of("config", file.toString(), "redis", "redis://10.0.0.5:6379", "node-id", "node-7"),
                Map.of("PIGEON_CASSANDRA", "10.0.0.9:9142", "PIGEON_CASSANDRA_DATACENTER", "eu-west"));

        assertThat(config.get(PigeonConfig.REDIS)).isEqualTo("redis://10.0.0.5:6379");
        assertThat(config.source(PigeonConfig.REDIS)).isEqualTo(ConfigSource.COMMAND_LINE);
        assertThat(config.get(PigeonConfig.REDIS_PREFIX)).isEqualTo("staging");
        assertThat(config.gateway().nodeId()).isEqualTo("node-7");
        assertThat(config.cassandraOptions().keyspace()).isEqualTo("from_file");
        assertThat(config.cassandraOptions().localDatacenter()).isEqualTo("eu-west");
        assertThat(config.cassandraOptions().contactPoints()).extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("10.0.0.9:9142");
        assertThat(config.source(PigeonConfig.CASSANDRA)).isEqualTo(ConfigSource.ENVIRONMENT);
    }

    @Test
    void badClusterAddressesAndKeyspacesAreNamed() {
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("redis", "127.0.0.1:6379", "cassandra", "cassandra-1"),
                Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad value for redis (--redis): '127.0.0.1:6379' is not a Redis URL")
                .hasMessageContaining("bad value for cassandra (--cassandra): 'cassandra-1' is not an address");
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("keyspace", "Pigeon-Prod"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inconsistent settings: keyspace must be lower case letters");
    }

    @Test
    void demoAndNodeEachReadTheirOwnKeys() {
        assertThat(PigeonConfig.embeddedSettings()).contains(PigeonConfig.DATA_DIR, PigeonConfig.NODE_ID)
                .doesNotContain(PigeonConfig.REDIS, PigeonConfig.CASSANDRA, PigeonConfig.KEYSPACE);
        assertThat(PigeonConfig.clusterSettings()).contains(PigeonConfig.REDIS, PigeonConfig.REDIS_PREFIX,
                        PigeonConfig.CASSANDRA, PigeonConfig.CASSANDRA_DATACENTER, PigeonConfig.KEYSPACE,
                        PigeonConfig.NODE_ID, PigeonConfig.JWT_SECRET, PigeonConfig.ADMIN_TOKEN)
                .doesNotContain(PigeonConfig.DATA_DIR, PigeonConfig.STORE_THREADS);
    }

    @Test
    void thePresenceHeartbeatIsAClusterKeyOfTwoSecondsByDefault() {
        assertThat(PigeonConfig.defaults().get(PigeonConfig.PRESENCE_HEARTBEAT)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PigeonConfig.resolve(Map.of("presence-heartbeat", "500ms"), Map.of())
                .get(PigeonConfig.PRESENCE_HEARTBEAT)).isEqualTo(Duration.ofMillis(500));
        assertThat(PigeonConfig.clusterSettings()).contains(PigeonConfig.PRESENCE_HEARTBEAT);
        assertThat(PigeonConfig.embeddedSettings()).doesNotContain(PigeonConfig.PRESENCE_HEARTBEAT);
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("presence-heartbeat", "0"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("presence-heartbeat");
    }

    private Path write(String properties) throws IOException {
        return Files.writeString(dir.resolve("pigeon.properties"), properties);
    }
}
