package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
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
 * Two regions, one node each, on their own Redis and Cassandra data centre. Users homed in
 * different regions chat in a direct conversation and a group: every write runs in its home region
 * (a send travels to the conversation's home, each member's inbox is written by the member's home),
 * reads are served where the user is, and a user connected away from home sends, receives and
 * reads there. Every inbox ends with each acked message once, in order, in both data centres. What
 * a region owes another that is down (its members' inbox entries) reaches it, once, when it is back.
 */
class RegionSendIT {
    @RegisterExtension
    static final RegionNodes regions = new RegionNodes("region-send-it", 1);
    private static final Duration REPLICATED = Duration.ofSeconds(30);

    @Test
    void usersHomedInDifferentRegionsChatAndAUserAwayFromHomeIsServedWhereSheIs() throws Exception {
        NodeClient client = regions.client;
        int eu = regions.node(EU, 0).port();
        int us = regions.node(US, 0).port();

        // first contact homes each user in the region of the node they meet first
        RegionNodes.Session aliceSession = regions.connect(eu, "alice");
        assertHello(aliceSession.hello(), "alice", EU, EU);
        Frames alice = aliceSession.frames();
        RegionNodes.Session bobSession = regions.connect(us, "bob");
        assertHello(bobSession.hello(), "bob", US, US);
        Frames bob = bobSession.frames();

        List<AckedSend> dm = new ArrayList<>();
        // dm:alice:bob is homed with alice in eu: bob's send travels there, his seq comes from us
        dm.add(send(us, "bob", "alice", "d1", "hello from us"));
        dm.add(send(eu, "alice", "bob", "d2", "hello from eu"));
        assertThat(dm).extracting(AckedSend::convSeq).containsExactly(1L, 2L);
        assertThat(dm).extracting(AckedSend::seq).containsExactly(1L, 2L);

        // live: each session gets both, wherever the entry was written
        await("alice's live messages").atMost(REPLICATED).until(() -> alice.ofType("msg").size() == 2);
        await("bob's live messages").atMost(REPLICATED).until(() -> bob.ofType("msg").size() == 2);
        Timelines.assertReceivedInOrder("alice", alice.ofType("msg"), dm, 1);
        Timelines.assertReceivedInOrder("bob", bob.ofType("msg"), dm, 1);

        // alice away from home: connected to us, still homed in eu, sends and reads there
        RegionNodes.Session awaySession = regions.connect(us, "alice");
        Frames away = awaySession.frames();
        JsonNode hello = awaySession.hello();
        assertHello(hello, "alice", US, EU);
        assertThat(hello.get("head").asLong()).isEqualTo(2);
        dm.add(send(us, "alice", "bob", "d3", "sent while away"));
        await("alice's away session gets her own message").atMost(REPLICATED)
                .until(() -> away.ofType("msg").size() == 1);
        assertThat(client.post(us, "/v1/ack", client.token("alice"), Map.of("up_to", 3)).statusCode())
                .as("an ack from away travels home").isEqualTo(204);
        // the admin API of either region sees alice's sessions in both
        for (int admin : List.of(regions.node(EU, 0).adminPort(), regions.node(US, 0).adminPort())) {
            JsonNode presence = client.admin(admin, "/admin/presence/alice");
            assertThat(presence.get("online").asBoolean()).isTrue();
            assertThat(presence.get("home_region").asText()).isEqualTo(EU);
            assertThat(presence.get("sessions").findValues("region").stream().map(JsonNode::asText))
                    .as(presence.toString()).containsExactlyInAnyOrder(EU, US);
            // counts are taken from each region's presence as it stands, which registers sessions as they come
            await("sessions counted in both regions").atMost(REPLICATED).untilAsserted(() -> {
                JsonNode byRegion = client.stats(admin).get("by_region");
                assertThat(byRegion.path(EU).asLong()).as(byRegion.toString()).isPositive();
                assertThat(byRegion.path(US).asLong()).as(byRegion.toString()).isPositive();
            });
        }

        // a group spanning both regions, first used (and so homed) in us
        HttpResponse<String> created = client.post(us, "/v1/groups", client.token("bob"),
                Map.of("group", "crew", "members", List.of("alice", "bob", "carol")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        RegionNodes.Session carolSession = regions.connect(eu, "carol");
        assertHello(carolSession.hello(), "carol", EU, EU);
        Frames carol = carolSession.frames();
        List<AckedSend> group = new ArrayList<>();
        group.add(send(us, "bob", "g:crew", "g1", "group from us"));
        group.add(send(eu, "carol", "g:crew", "g2", "group from eu"));
        group.add(send(eu, "alice", "g:crew", "g3", "group from alice"));
        assertThat(group).extracting(AckedSend::convSeq).containsExactly(1L, 2L, 3L);

        List<AckedSend> aliceAll = concat(dm, group);
        List<AckedSend> bobAll = concat(dm, group);
        for (int port : List.of(eu, us)) {
            await("alice's inbox read through " + port).atMost(REPLICATED).untilAsserted(() ->
                    Timelines.assertInboxHoldsEachOnce("alice", client.inbox(port, "alice"), aliceAll));
            await("bob's inbox read through " + port).atMost(REPLICATED).untilAsserted(() ->
                    Timelines.assertInboxHoldsEachOnce("bob", client.inbox(port, "bob"), bobAll));
            await("carol's inbox read through " + port).atMost(REPLICATED).untilAsserted(() ->
                    Timelines.assertInboxHoldsEachOnce("carol", client.inbox(port, "carol"), group));
            await("the dm's log read through " + port).atMost(REPLICATED).untilAsserted(() ->
                    Timelines.assertLogHoldsEachOnce(client.log(port, "bob", "dm:alice:bob"), dm));
            await("the group's log read through " + port).atMost(REPLICATED).untilAsserted(() ->
                    Timelines.assertLogHoldsEachOnce(client.log(port, "carol", "g:crew"), group));
        }
        // each member's sessions saw the group in conv_seq order
        await("carol's live group messages").atMost(REPLICATED).until(() -> carol.ofType("msg").size() == 3);
        assertThat(carol.ofType("msg")).extracting(msg -> msg.get("conv_seq").asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void entriesOwedToARegionThatWasDownArriveOnceItIsBack() throws Exception {
        NodeClient client = regions.client;
        int eu = regions.node(EU, 0).port();
        assertHello(regions.connect(eu, "erin").hello(), "erin", EU, EU);
        assertHello(regions.connect(regions.node(US, 0).port(), "ulf").hello(), "ulf", US, US);

        // us cannot be reached: eu acknowledges, owing ulf's inbox entries to us in its outbox
        regions.stop(US, 0);
        List<AckedSend> owed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            owed.add(send(eu, "erin", "ulf", "owed-" + i, "while us was down " + i));
        }

        int us = regions.start(US, 0).port();
        await("ulf's inbox once us is back").atMost(REPLICATED).untilAsserted(() ->
                Timelines.assertInboxHoldsEachOnce("ulf", client.inbox(us, "ulf"), owed));
    }

    @Test
    void theAdminApiShowsBothRegionsWithTheirLag() throws Exception {
        int admin = regions.node(EU, 0).adminPort();
        await("both regions healthy as seen from eu").atMost(REPLICATED).untilAsserted(() -> {
            JsonNode answer = regions.client.admin(admin, "/admin/regions");
            assertThat(answer.get("regions")).hasSize(2);
            for (JsonNode region : answer.get("regions")) {
                assertThat(region.get("state").asText()).isEqualTo("active");
                assertThat(region.get("healthy").asBoolean()).as(region.toString()).isTrue();
                assertThat(region.get("nodes")).hasSize(1);
                assertThat(region.get("lag_ms").asLong()).isGreaterThanOrEqualTo(0);
            }
        });
        assertThat(regions.client.metric(admin, "pigeon_region_replication_lag_seconds", "region=\"us\""))
                .isGreaterThanOrEqualTo(0);
    }

    private static void assertHello(JsonNode hello, String user, String region, String homeRegion) {
        assertThat(hello.get("type").asText()).as(hello.toString()).isEqualTo("hello");
        assertThat(hello.get("user").asText()).isEqualTo(user);
        assertThat(hello.get("region").asText()).isEqualTo(region);
        assertThat(hello.get("home_region").asText()).isEqualTo(homeRegion);
        assertThat(hello.get("epoch").asLong()).isEqualTo(1);
    }

    /** Sends to a user ({@code to}) or a group conversation ({@code g:...}) through HTTP, as {@code from}. */
    private static AckedSend send(int port, String from, String target, String id, String body) throws Exception {
        Map<String, String> frame = target.startsWith("g:")
                ? Map.of("id", id, "conversation", target, "body", body)
                : Map.of("id", id, "to", target, "body", body);
        return AckedSend.of(from, body, regions.client.send(port, regions.client.token(from), frame));
    }

    private static List<AckedSend> concat(List<AckedSend> first, List<AckedSend> second) {
        List<AckedSend> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
