package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.pigeon.ops.cluster.RegionNodes.EU;
import static dev.pigeon.ops.cluster.RegionNodes.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loss of a region, its failover, its return and reconciliation, with the trap the key design
 * must defeat. carol and dave are homed in eu. Their first messages replicate to us; then us's data
 * centre is cut off and eu acknowledges three more that never reach it (at risk). eu is lost (node,
 * data centre and Redis stopped), us comes back and declares the failover: carol and dave move to us
 * under epoch 2 and send again at once, at the very positions the unreplicated messages hold in eu.
 * When eu returns, Cassandra replays eu's rows to us and us's to eu; eu's node learns that its region
 * was failed over and writes nothing as a home (its sends travel to us). Reconciliation then finds
 * the three at-risk messages and appends each once in the new home. In the end the conversation
 * holds every acked message exactly once, the rows written during the failover unchanged at their
 * positions, and every member's inbox is contiguous and in order.
 */
class RegionFailoverIT {
    @RegisterExtension
    static final RegionNodes regions = new RegionNodes("region-failover-it", 1);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String DM = "dm:carol:dave";

    @Test
    void aLostRegionFailsOverIsFencedOnItsReturnAndItsUnreplicatedMessagesAreRecoveredOnce() throws Exception {
        NodeClient client = regions.client;
        RetryingSender sender = new RetryingSender(client, PATIENCE);
        int eu = regions.node(EU, 0).port();
        for (String user : List.of("carol", "dave")) {
            assertThat(regions.connect(eu, user).hello().get("home_region").asText()).isEqualTo(EU);
        }

        List<AckedSend> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(sender.send(() -> eu, i % 2 == 0 ? "carol" : "dave", DM, "before-" + i, "before " + i));
        }
        int us = regions.node(US, 0).port();
        await("the first messages replicated to us").atMost(PATIENCE).untilAsserted(() ->
                Timelines.assertLogHoldsEachOnce(client.log(us, "dave", DM), before));

        // us's data centre is cut off: eu acknowledges three messages that never reach it
        regions.stopDatacenter(US);
        List<AckedSend> atRisk = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            atRisk.add(sender.send(() -> eu, "carol", DM, "at-risk-" + i, "at risk " + i));
        }
        assertThat(atRisk).extracting(AckedSend::convSeq).containsExactly(4L, 5L, 6L);

        // eu is lost; us comes back and declares it
        regions.stop(EU, 0);
        regions.stopDatacenter(EU);
        regions.stopRedis(EU);
        regions.startDatacenter(US);
        int usAdmin = regions.node(US, 0).adminPort();
        await("us serves again").atMost(PATIENCE).until(() -> client.get(us, "/readyz", null).statusCode() == 200
                && client.metric(usAdmin, "resilience4j_circuitbreaker_state", "state=\"closed\"") == 1);
        JsonNode failover = adminPost(usAdmin, "/admin/regions/eu/failover");
        assertThat(failover.get("survivor").asText()).isEqualTo(US);
        assertThat(failover.get("users_moved").asInt()).isEqualTo(2);
        assertThat(failover.get("conversations_moved").asInt()).isEqualTo(1);

        // carol and dave send again at once, through us, at the positions the lost messages hold in eu
        List<AckedSend> after = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            after.add(sender.send(() -> us, i % 2 == 0 ? "dave" : "carol", DM, "after-" + i, "after " + i));
        }
        assertThat(after).extracting(AckedSend::convSeq).containsExactly(4L, 5L, 6L);
        JsonNode hello = regions.connect(us, "carol").hello();
        assertThat(hello.get("home_region").asText()).isEqualTo(US);
        assertThat(hello.get("epoch").asLong()).isEqualTo(2);

        // eu returns: its rows replay to us and us's to eu; its node learns it was failed over
        regions.startRedis(EU);
        regions.startDatacenter(EU);
        int euAgain = regions.start(EU, 0).port();
        int euAdmin = regions.node(EU, 0).adminPort();
        JsonNode standing = client.admin(euAdmin, "/admin/regions");
        assertThat(standing.get("regions").findValues("state").stream().map(JsonNode::asText))
                .as("eu's node knows its region is lost: %s", standing).contains("lost");
        // fenced: what carol sends through eu's node is written in her new home, never in eu's old stream
        AckedSend fenced = sender.send(() -> euAgain, "carol", DM, "through-eu", "through the returned eu node");
        assertThat(fenced.convSeq()).isEqualTo(7);

        JsonNode reconciled = adminPost(usAdmin, "/admin/regions/eu/reconcile");
        assertThat(reconciled.get("orphans").asInt()).as(reconciled.toString()).isEqualTo(3);
        assertThat(reconciled.get("recovered").asInt()).isEqualTo(3);
        assertThat(reconciled.get("already_present").asInt()).isZero();
        assertThat(reconciled.get("unrecovered")).isEmpty();

        // nothing written during the failover was replaced; each at-risk message is there once, after them
        List<JsonNode> log = client.log(us, "dave", DM);
        assertThat(log).extracting(entry -> entry.get("conv_seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L,
                8L, 9L, 10L);
        for (AckedSend kept : concat(before, after, List.of(fenced))) {
            kept.assertMatches(log.get((int) kept.convSeq() - 1), "log entry " + kept.convSeq());
        }
        assertThat(log.subList(7, 10)).extracting(AckedSend::keyOf)
                .containsExactlyElementsOf(atRisk.stream().map(AckedSend::key).toList());
        assertThat(log.subList(7, 10)).extracting(entry -> entry.get("body").asText())
                .containsExactly("at risk 0", "at risk 1", "at risk 2");
        for (String user : List.of("carol", "dave")) {
            await(user + "'s inbox through us").atMost(PATIENCE).untilAsserted(() -> {
                List<JsonNode> inbox = client.inbox(us, user);
                assertThat(inbox).extracting(AckedSend::keyOf).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(log.stream().map(AckedSend::keyOf).toList());
                assertThat(inbox).extracting(entry -> entry.get("seq").asLong())
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList());
                Timelines.assertConversationOrder(user, inbox);
            });
        }
    }

    private static JsonNode adminPost(int adminPort, String path) throws Exception {
        HttpResponse<String> answer = regions.client.post(adminPort, path, regions.client.adminToken(), Map.of());
        assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(200);
        return NodeClient.JSON.readTree(answer.body());
    }

    @SafeVarargs
    private static List<AckedSend> concat(List<AckedSend>... lists) {
        List<AckedSend> all = new ArrayList<>();
        for (List<AckedSend> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
