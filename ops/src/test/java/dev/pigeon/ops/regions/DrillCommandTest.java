package dev.pigeon.ops.regions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class DrillCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(DrillCommand drill, String... args) {
        CommandLine command = new CommandLine(drill);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--duration 90s",
            "--lose us --loss-at 90s --duration 90s",
            "--lose us --loss-at 30s --cut-replication 30s",
            "--lose us --cut-replication -1s",
            "--lose us --duration 2h",
            "--lose us --duration soon",
            "--lose us --pairs 0",
            "--lose us --rate 0",
            "--lose us --run-id Bad!"})
    void refusesADrillItCannotRunWithoutStartingAnything(String args) {
        DrillCommand drill = new DrillCommand(plan -> {
            throw new AssertionError("nothing may start for a refused drill");
        });

        assertThat(run(drill, args.split(" "))).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).isNotBlank();
    }

    @Test
    void stopsTheDeploymentWhenTheDrillCannotRunOnIt() {
        AtomicBoolean closed = new AtomicBoolean();
        DrillCommand drill = new DrillCommand(plan -> new NoTarget(closed));

        int exit = run(drill, "--lose", "us", "--run-id", "t1");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(closed).isTrue();
        assertThat(out.toString()).contains("stopping the deployment");
    }

    /** A deployment of one region only: a drill has nothing to fail over to. */
    private record NoTarget(AtomicBoolean closed) implements DrillTarget {
        @Override
        public DrillTarget launch() {
            return this;
        }

        @Override
        public List<String> regions() {
            return List.of("us");
        }

        @Override
        public List<NodeEndpoints> nodes(String region) {
            return List.of();
        }

        @Override
        public String adminToken() {
            return "admin";
        }

        @Override
        public String jwtSecret() {
            return "secret";
        }

        @Override
        public void killNodes(String region) {
        }

        @Override
        public void startNodes(String region) {
        }

        @Override
        public void stopDatacenter(String region) {
        }

        @Override
        public void startDatacenter(String region) {
        }

        @Override
        public void stopRedis(String region) {
        }

        @Override
        public void startRedis(String region) {
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
