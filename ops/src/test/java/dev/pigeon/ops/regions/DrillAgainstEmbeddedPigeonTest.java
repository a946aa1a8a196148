package dev.pigeon.ops.regions;

import dev.pigeon.ops.ClientTokens;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.embedded.EmbeddedPigeon;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A whole drill, phase by phase, against one real embedded Pigeon that stands in for both regions:
 * its endpoint is labelled once per region, and "losing" a region closes its users' sessions through
 * the admin API, so they reconnect to the survivor's label. The node serves no regions, so its
 * failover and reconciliation answers are refusals the report must carry; everything acknowledged
 * must still read back exactly once.
 */
class DrillAgainstEmbeddedPigeonTest {
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

    @Test
    void aDrillLosesARegionMovesItsUsersAndChecksEveryAckedMessage() throws Exception {
        DrillPlan plan = new DrillPlan("us", Duration.ofSeconds(3), Duration.ofMillis(1500), 2, 20, dataDir, "e1",
                List.of());
        OneNodeTarget target = new OneNodeTarget(DrillCast.of("e1", 2, "us", "eu"));
        StringWriter out = new StringWriter();

        DrillReport report = new DrillRun(plan, target, new PrintWriter(out, true)).run();

        assertThat(target.calls).containsExactly("kill us", "stop dc us", "stop redis us", "start dc us",
                "start redis us", "start nodes us");
        assertThat(report.acked()).as(out.toString()).isGreaterThan(40);
        assertThat(report.unacked()).isZero();
        assertThat(report.check().lost()).isZero();
        assertThat(report.check().duplicates()).isZero();
        assertThat(report.check().checked()).isEqualTo(report.acked());
        assertThat(report.check().seqGaps()).isZero();
        assertThat(report.check().orderViolations()).isZero();
        assertThat(report.atRisk()).isZero();
        assertThat(report.rtoUnrecovered()).isEmpty();
        assertThat(report.rtoByUser()).hasSize(2);
        assertThat(report.rtoMs()).isNotNull().isLessThan(3000);
        assertThat(report.disconnects()).containsKey("closed 4000");
        assertThat(report.failover().get("error").asText()).contains("failover");
        assertThat(report.reconcile().answered()).isFalse();
        assertThat(report.passed()).isFalse();
        assertThat(report.timeline()).containsKeys("load_started", "nodes_killed", "loss", "users_reconnected",
                "failover_answered", "load_stopped", "region_back", "reconcile_answered", "checked");
        assertThat(report.lossAtS()).isGreaterThanOrEqualTo(1.5);
        assertThat(out.toString()).contains("LOSS: killed the nodes of us", "all 2 users of us reconnected to eu");
    }

    @Test
    void readsWholeHistoriesAndInboxesPageByPage() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        DrillHttp http = new DrillHttp(client, 2);
        NodeEndpoints node = new OneNodeTarget(DrillCast.of("h1", 1, "us", "eu")).nodes("eu").get(0);
        ClientTokens tokens = new ClientTokens(PigeonConfig.DEMO_JWT_SECRET, Duration.ofHours(1), Clock.systemUTC());
        String alice = tokens.mint("h1-alice");

        assertThat(http.createGroup(node, alice, "h1team", List.of("h1-bob"))).containsExactlyInAnyOrder("h1-alice", "h1-bob");
        for (int i = 1; i <= 5; i++) {
            send(client, node, alice, "{\"type\":\"send\",\"id\":\"d" + i + "\",\"to\":\"h1-bob\",\"body\":\"hi\"}");
        }
        for (int i = 1; i <= 2; i++) {
            send(client, node, alice, "{\"type\":\"send\",\"id\":\"g" + i + "\",\"conversation\":\"g:h1team\",\"body\":\"hi\"}");
        }

        assertThat(http.history(node, alice, "dm:h1-alice:h1-bob")).extracting(LogEntry::convSeq)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        assertThat(http.history(node, alice, "g:h1team")).extracting(LogEntry::id).containsExactlyInAnyOrder("g1", "g2");
        assertThat(http.inbox(node, tokens.mint("h1-bob"))).extracting(Frame.Msg::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThatThrownBy(() -> http.admin(node, PigeonConfig.DEMO_ADMIN_TOKEN, "/admin/regions/us/failover"))
                .isInstanceOfSatisfying(DrillHttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.retryable()).isFalse();
                });
    }

    private static void send(HttpClient client, NodeEndpoints node, String token, String frame) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(DrillUrls.http(node, "/v1/send"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(frame)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** One embedded node, labelled as a node of each region. */
    private static final class OneNodeTarget implements DrillTarget {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final DrillCast cast;
        private final HttpClient http = HttpClient.newHttpClient();

        OneNodeTarget(DrillCast cast) {
            this.cast = cast;
        }

        @Override
        public DrillTarget launch() {
            calls.add("start");
            return this;
        }

        @Override
        public List<String> regions() {
            return List.of("eu", "us");
        }

        @Override
        public List<NodeEndpoints> nodes(String region) {
            return List.of(new NodeEndpoints(region, "node-" + region,
                    URI.create("ws://127.0.0.1:" + pigeon.port() + "/v1/ws"),
                    URI.create("http://127.0.0.1:" + pigeon.port()),
                    URI.create("http://127.0.0.1:" + pigeon.adminPort()),
                    URI.create("http://127.0.0.1:1")));
        }

        @Override
        public String adminToken() {
            return PigeonConfig.DEMO_ADMIN_TOKEN;
        }

        @Override
        public String jwtSecret() {
            return PigeonConfig.DEMO_JWT_SECRET;
        }

        /** Ends the sessions of the region's users, as dead nodes would. */
        @Override
        public void killNodes(String region) {
            calls.add("kill " + region);
            for (DrillCast.User user : cast.homedIn(region)) {
                HttpRequest disconnect = HttpRequest.newBuilder(
                                DrillUrls.admin(nodes(region).get(0), "/admin/users/" + user.name() + "/disconnect"))
                        .header("Authorization", "Bearer " + adminToken())
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
                try {
                    int status = http.send(disconnect, HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertThat(status).isBetween(200, 299);
                } catch (IOException e) {
                    throw new AssertionError(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void startNodes(String region) {
            calls.add("start nodes " + region);
        }

        @Override
        public void stopDatacenter(String region) {
            calls.add("stop dc " + region);
        }

        @Override
        public void startDatacenter(String region) {
            calls.add("start dc " + region);
        }

        @Override
        public void stopRedis(String region) {
            calls.add("stop redis " + region);
        }

        @Override
        public void startRedis(String region) {
            calls.add("start redis " + region);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }
}
