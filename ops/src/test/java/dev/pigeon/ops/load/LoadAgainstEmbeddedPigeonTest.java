package dev.pigeon.ops.load;

import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.embedded.EmbeddedPigeon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the generator for a second against a real embedded Pigeon on loopback. Where a run needs
 * several nodes, two spellings of the one gateway's URL stand in for them: the spreading and the
 * bookkeeping are the generator's, whichever process answers.
 */
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

    private static List<URI> twoNodes() {
        return List.of(url(), URI.create(url() + "?node=2"));
    }

    private static String execute(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new LoadCommand());
        command.setOut(new PrintWriter(out, true));
        int exitCode = command.execute(args);
        assertThat(exitCode).as(out.toString()).isZero();
        return out.toString();
    }

    @Test
    void everyMessageSentInTheWindowIsAckedAndDeliveredToThePeer() throws InterruptedException {
        LoadPlan plan = new LoadPlan(List.of(url()), "t1", 0, 10, 100, Duration.ofSeconds(1), Duration.ofMillis(300), 64, 200,
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
        LoadPlan plan = new LoadPlan(List.of(url()), "t2", 0, 2, 0, Duration.ofMillis(100), Duration.ZERO, 64, 100,
                "not-the-gateway-secret");

        try (LocalLoadRun run = new LocalLoadRun(plan)) {
            assertThat(run.connect()).isZero();
            assertThat(run.run().errors()).isNotEmpty();
        }
    }

    @Test
    void theCommandSpreadsSessionsOverChildProcessesAndReportsTheGatewaysMemory() {
        String out = execute("--url", url().toString(), "--sessions", "8", "--processes", "2",
                "--rate", "40", "--duration", "1s", "--warmup", "200ms", "--connect-rate", "100",
                "--gateway-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(out)
                .contains("8 sessions asked, 8 opened")
                .contains("errors      none", "disconnects none", "0 not delivered")
                .containsPattern("latency +p50 [0-9.]+ +p99 ")
                .containsPattern("RSS [0-9.]+ MiB before, [0-9.]+ MiB with 8 sessions open")
                .containsPattern("machine [0-9]+% busy of [0-9]+ cores during the measured window: gateway [0-9.]+ cores, "
                        + "load generator [0-9.]+ cores, everything else [0-9.]+ cores");
    }

    @Test
    void pairsSpreadOverSeveralNodesDeliverEveryMessage() throws InterruptedException {
        LoadPlan plan = new LoadPlan(twoNodes(), "t3", 0, 8, 80, Duration.ofSeconds(1), Duration.ofMillis(200), 64,
                200, PigeonConfig.DEMO_JWT_SECRET);

        LoadResult result;
        try (LocalLoadRun run = new LocalLoadRun(plan)) {
            assertThat(run.connect()).isEqualTo(8);
            result = run.run();
        }

        assertThat(result.sent()).isPositive();
        assertThat(result.delivered()).isEqualTo(result.sent());
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void theCommandSaysHowPairsSpreadOverTheNodes() {
        String out = execute("--url", twoNodes().get(0) + "," + twoNodes().get(1), "--sessions", "4", "--rate", "20",
                "--duration", "500ms", "--warmup", "0");

        assertThat(out)
                .contains("pigeon load: 4 sessions (run ", "against 2 nodes")
                .contains("nodes       2: 2 sessions on " + url() + ", 2 on " + url() + "?node=2; the two sessions of "
                        + "each pair on different nodes")
                .contains("0 not delivered", "errors      none");
    }

    @Test
    void aGroupFanOutReachesEveryMemberOnceAndIsTimed() throws Exception {
        FanoutPlan plan = new FanoutPlan(twoNodes(), "t4", 12, 1, 4, Duration.ofMillis(20), 64, 500,
                PigeonConfig.DEMO_JWT_SECRET);

        FanoutResult result;
        try (FanoutRun run = new FanoutRun(plan)) {
            run.createGroup();
            assertThat(run.connect()).isEqualTo(12);
            result = run.run();
        }

        assertThat(result.opened()).isEqualTo(12);
        FanoutTimes times = result.times();
        assertThat(times.sent()).isEqualTo(4);
        assertThat(times.acked()).isEqualTo(4);
        assertThat(times.reachedAll()).isEqualTo(4);
        assertThat(times.deliveries()).isEqualTo(4 * 11);
        assertThat(times.lastMicros().getTotalCount()).isEqualTo(4);
        assertThat(times.eachMicros().getTotalCount()).isEqualTo(4 * 11);
        assertThat(result.check()).isEqualTo(new FanoutCheck(5, 12, 0, 0, 0));
        assertThat(result.errors()).isEmpty();
        assertThat(result.disconnects()).isEmpty();
    }

    @Test
    void aGroupTheServerRefusesEndsTheRunWithItsAnswer() {
        FanoutPlan plan = new FanoutPlan(List.of(url()), "t5", 3, 0, 1, Duration.ZERO, 64, 500, "not-the-secret");

        try (FanoutRun run = new FanoutRun(plan)) {
            assertThatThrownBy(run::createGroup).isInstanceOf(IOException.class).hasMessageContaining("401");
        }
    }

    @Test
    void theCommandReportsAGroupFanOut() {
        String out = execute("--group-members", "9", "--url", twoNodes().get(0) + "," + twoNodes().get(1),
                "--messages", "3", "--warmup-messages", "1", "--message-interval", "10ms",
                "--gateway-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(out)
                .contains("pigeon load: group fan-out, 9 members (run ")
                .contains("9 members asked, 9 opened")
                .contains("nodes       2: 5 members on " + url() + ", 4 on " + url() + "?node=2; the sender on " + url()
                        + ", 4 of its 8 receivers on other nodes")
                .contains("messages    sent 3, acked 3, refused 0; 3 reached all 8 receivers, 0 did not")
                .containsPattern("deliveries  24 to the 8 receivers in [0-9.]+ s")
                .containsPattern("fan-out +p50 [0-9.]+ +p99 [0-9.]+ +max [0-9.]+ ms")
                .contains("check       every member got every message exactly once, in order: 36 copies expected")
                .contains("errors      none", "disconnects none")
                .containsPattern("RSS [0-9.]+ MiB before, [0-9.]+ MiB with 9 sessions open");
    }
}
