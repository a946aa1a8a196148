package dev.pigeon.ops.regions;

import dev.pigeon.ops.PigeonCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegionsCommandTest {

    @TempDir
    Path dir;

    @Test
    void byDefaultEuAndUsWithTwoNodesEachOnTheUsualPorts() {
        RegionsPlan plan = plan("regions");

        assertThat(plan.regions()).containsExactly("eu", "us");
        assertThat(plan.nodesPerRegion()).isEqualTo(2);
        assertThat(plan.dir()).isEqualTo(Path.of("regions").toAbsolutePath().normalize());
        assertThat(plan.basePort()).isEqualTo(8080);
        assertThat(plan.baseAdminPort()).isEqualTo(9090);
        assertThat(plan.baseLinkPort()).isEqualTo(7170);
        assertThat(plan.startsServices()).isTrue();
        assertThat(plan.servicesOptions()).isEmpty();
        assertThat(plan.progress()).isEqualTo(ProcessBuilder.Redirect.INHERIT);
    }

    @Test
    void theOptionsShapeThePlan() {
        RegionsPlan plan = plan("regions", "--nodes-per-region", "3", "--regions", "north,south", "--dir", dir.toString(),
                "--base-port", "18080", "--base-admin-port", "19090", "--base-link-port", "17170",
                "--services-options", " --redis-port 6392  --cassandra-listen 127.0.0.3");

        assertThat(plan.regions()).containsExactly("north", "south");
        assertThat(plan.nodesPerRegion()).isEqualTo(3);
        assertThat(plan.dir()).isEqualTo(dir);
        assertThat(plan.basePort()).isEqualTo(18080);
        assertThat(plan.baseAdminPort()).isEqualTo(19090);
        assertThat(plan.baseLinkPort()).isEqualTo(17170);
        assertThat(plan.servicesOptions()).containsExactly("--redis-port", "6392", "--cassandra-listen", "127.0.0.3");
    }

    @Test
    void badOptionsStopTheCommandBeforeAnythingStarts() {
        Run noNodes = run("regions", "--nodes-per-region", "0", "--dir", dir.toString());
        Run oneRegion = run("regions", "--regions", "eu", "--dir", dir.toString());

        assertThat(noNodes.exitCode).isEqualTo(1);
        assertThat(noNodes.err).contains("pigeon regions: --nodes-per-region must be at least 1");
        assertThat(oneRegion.exitCode).isEqualTo(1);
        assertThat(oneRegion.err).contains("name two different regions, not [eu]");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void helpNamesEveryOption() {
        Run help = run("regions", "--help");

        assertThat(help.exitCode).isZero();
        assertThat(help.out).contains("--nodes-per-region", "--regions", "--dir", "--base-port", "--base-admin-port",
                "--base-link-port", "--services-options");
    }

    private static RegionsPlan plan(String... args) {
        CommandLine cli = PigeonCli.commandLine(Map.of());
        cli.parseArgs(args);
        return ((RegionsCommand) cli.getSubcommands().get("regions").getCommand()).plan();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = PigeonCli.commandLine(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
