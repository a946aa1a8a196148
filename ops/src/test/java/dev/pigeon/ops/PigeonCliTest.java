package dev.pigeon.ops;

import dev.pigeon.ops.config.ConfigSource;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.config.Setting;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PigeonCliTest {

    @Test
    void helpDocumentsEverySubcommandAndEveryOption() {
        Run run = run(Map.of(), "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("demo", "load", "config-doc", "help");
        for (Setting<?> setting : PigeonConfig.ALL) {
            assertThat(run.out).contains(setting.option()).contains(setting.envVar());
        }
    }

    @Test
    void demoOptionsBeatTheEnvironment() {
        CommandLine cli = PigeonCli.commandLine(Map.of("PIGEON_PORT", "1002", "PIGEON_SSE_KEEPALIVE", "5s"));
        cli.parseArgs("demo", "--port", "1003", "--data-dir", "/tmp/pigeon-data", "--jwt-secret", "s3cret");

        PigeonConfig config = demo(cli).config();

        assertThat(config.get(PigeonConfig.PUBLIC_PORT)).isEqualTo(1003);
        assertThat(config.source(PigeonConfig.PUBLIC_PORT)).isEqualTo(ConfigSource.COMMAND_LINE);
        assertThat(config.get(PigeonConfig.SSE_KEEPALIVE)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.source(PigeonConfig.SSE_KEEPALIVE)).isEqualTo(ConfigSource.ENVIRONMENT);
        assertThat(config.dataDir().toString()).isEqualTo("/tmp/pigeon-data");
        assertThat(config.get(PigeonConfig.JWT_SECRET)).isEqualTo("s3cret");
    }

    @Test
    void aBadValueStopsTheDemoBeforeAnythingStartsWithExitCodeTwo() {
        Run run = run(Map.of("PIGEON_SSE_KEEPALIVE", "soon"), "demo", "--port", "http");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("configuration error")
                .contains("bad value for port (--port)")
                .contains("bad value for sse-keepalive (PIGEON_SSE_KEEPALIVE)");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run run = run(Map.of(), "demo", "--prot", "8081");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("Unknown option").contains("'--prot'");
    }

    @Test
    void withoutASubcommandTheUsageIsShown() {
        Run run = run(Map.of());

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("Usage: pigeon");
    }

    @Test
    void configDocPrintsTheReference() {
        Run run = run(Map.of(), "config-doc");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).startsWith("# Configuration").contains("`PIGEON_DATA_DIR`");
    }

    @Test
    void nodeTakesTheClusterFlags() {
        CommandLine cli = PigeonCli.commandLine(Map.of("PIGEON_REDIS_PREFIX", "staging"));
        cli.parseArgs("node", "--node-id", "node-2", "--port", "8081", "--admin-port", "9091",
                "--redis", "redis://127.0.0.1:6390", "--cassandra", "127.0.0.1:9042", "--keyspace", "pigeon_demo",
                "--jwt-secret", "s3cret", "--admin-token", "adm1n");

        PigeonConfig config = ((NodeCommand) cli.getSubcommands().get("node").getCommand()).config();

        assertThat(config.gateway().nodeId()).isEqualTo("node-2");
        assertThat(config.gateway().port()).isEqualTo(8081);
        assertThat(config.gateway().adminPort()).isEqualTo(9091);
        assertThat(config.gateway().jwtSecret()).isEqualTo("s3cret");
        assertThat(config.gateway().adminToken()).isEqualTo("adm1n");
        assertThat(config.get(PigeonConfig.REDIS)).isEqualTo("redis://127.0.0.1:6390");
        assertThat(config.get(PigeonConfig.REDIS_PREFIX)).isEqualTo("staging");
        assertThat(config.cassandraOptions().keyspace()).isEqualTo("pigeon_demo");
    }

    @Test
    void nodeHasNoEmbeddedStoreAndDemoNoClusterOptions() {
        assertThat(run(Map.of(), "node", "--data-dir", "x").err).contains("Unknown option").contains("'--data-dir'");
        assertThat(run(Map.of(), "demo", "--redis", "redis://127.0.0.1:6390").err).contains("Unknown option");
    }

    @Test
    void clusterRefusesZeroNodesBeforeStartingAnything() {
        Run run = run(Map.of(), "cluster", "--nodes", "0");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("--nodes must be at least 1");
    }

    private static DemoCommand demo(CommandLine cli) {
        return cli.getSubcommands().get("demo").getCommand();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        CommandLine cli = PigeonCli.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
