package dev.pigeon.ops.load;

import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.embedded.EmbeddedPigeon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the generator for a second against a real embedded Pigeon on loopback. */
class LoadAgainstEmbeddedPigeonTest {
    @TempDir
    static Path dataDir;
    private static EmbeddedPigeon pigeon;

    @BeforeAll
    static void startPigeon() {
        pigeon = EmbeddedPigeon.start(PigeonConfig.resolve(
                Map.of("port", "0", "admin-port", "0", "data-dir", dataDir.toString()), Map.of()));
    }

    @AfterAll
    static void stopPigeon() {
        pigeon.stop();
    }

    private static URI url() {
        return URI.create("ws://127.0.0.1:" + pigeon.port() + "/v1/ws");
    }

    @Test
    void everyMessageSentInTheWindowIsAckedAndDeliveredToThePeer() throws InterruptedException {
        LoadPlan plan = new LoadPlan(url(), "t1", 0, 10, 100, Duration.ofSeconds(1), Duration.ofMillis(300), 64, 200,
                PigeonConfig.DEMO_JWT_SECRET);

        LoadResult result;
        try (LocalLoadRun run = new LocalLoadRun(plan)) {
            assertThat(run.connect()).isEqualTo(10);
            result = run.run();
        }

        assertThat(result.opened()).isEqualTo(10);
        assertThat(result.sent()).isBetween(90L, 110L);
        assertThat(result.acked()).isEqualTo(result.sent());
        assertThat(result.delivered()).isEqualTo(result.sent());
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.delivered());
        assertThat(result.sendLagMicros().getTotalCount()).isEqualTo(result.sent());
        assertThat(result.errors()).isEmpty();
        assertThat(result.disconnects()).isEmpty();
    }

    @Test
    void tokensSignedWithAnotherSecretAreCountedAsErrorsAndNothingOpens() throws InterruptedException {
        LoadPlan plan = new LoadPlan(url(), "t2", 0, 2, 0, Duration.ofMillis(100), Duration.ZERO, 64, 100,
                "not-the-gateway-secret");

        try (LocalLoadRun run = new LocalLoadRun(plan)) {
            assertThat(run.connect()).isZero();
            assertThat(run.run().errors()).isNotEmpty();
        }
    }

    @Test
    void theCommandSpreadsSessionsOverChildProcessesAndReportsTheGatewaysMemory() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new LoadCommand());
        command.setOut(new PrintWriter(out, true));

        int exitCode = command.execute("--url", url().toString(), "--sessions", "8", "--processes", "2",
                "--rate", "40", "--duration", "1s", "--warmup", "200ms", "--connect-rate", "100",
                "--gateway-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(exitCode).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("8 sessions asked, 8 opened")
                .contains("errors      none", "disconnects none", "0 not delivered")
                .containsPattern("latency +p50 [0-9.]+ +p99 ")
                .containsPattern("RSS [0-9.]+ MiB before, [0-9.]+ MiB with 8 sessions open")
                .containsPattern("machine [0-9]+% busy of [0-9]+ cores during the measured window: gateway [0-9.]+ cores, "
                        + "load generator [0-9.]+ cores, everything else [0-9.]+ cores");
    }
}
