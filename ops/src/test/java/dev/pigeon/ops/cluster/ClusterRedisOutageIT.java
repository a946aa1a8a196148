package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis goes down under two cluster nodes (this class's own Redis, stopped and started again empty,
 * so that no other test's Redis is touched). Alice and carol hold sessions on node 1, bob on node 2;
 * the three form a group, and alice sends to it through node 1, one message at a time. The outage
 * runs once, before the tests:
 *
 * <ul>
 *   <li>while Redis is down, sends still succeed (storage is Cassandra); the sessions on node 1,
 *       the sender's node, get the messages live (handed over within the node, without presence
 *       or the bus), and bob's session on node 2 misses them;</li>
 *   <li>once Redis is back, cross-node deliveries resume: the first message that reaches bob live
 *       shows him the gap, which his session fills from the inbox, so that bob (like alice and
 *       carol, whose node subscribes to the bus again too) has received every message exactly
 *       once, in {@code seq} order.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRedisOutageIT {
    private static final NodeClient client = new NodeClient("cluster-redis-outage-it-secret",
            "cluster-redis-outage-it-admin");
    private static final String GROUP_NAME = "down";
    private static final String GROUP = "g:" + GROUP_NAME;
    private static final String ALICE = "alice";
    private static final String CAROL = "carol";
    private static final String BOB = "bob";
    private static final int SENT_WHILE_DOWN = 5;
    /** How long a live delivery between sessions of one node may take while Redis is down. */
    private static final Duration LIVE_PATIENCE = Duration.ofSeconds(10);
    /** How long cross-node deliveries may take to resume once Redis is back. */
    private static final Duration RESUME_PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private OwnRedis redis;
    private TestServices services;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final Frames alice = new Frames();
    private final Frames carol = new Frames();
    private final Frames bob = new Frames();

    // what the outage showed
    /** Every acked send, in the order sent (one at a time: the order of every member's inbox). */
    private final List<AckedSend> sent = new CopyOnWriteArrayList<>();
    private List<AckedSend> sentBeforeTheOutage;
    private List<AckedSend> sentWhileDown;
    private List<JsonNode> carolWhileDown;
    private List<JsonNode> aliceWhileDown;
    private List<JsonNode> bobWhileDown;
    private boolean everySessionReachedAgain;

    @BeforeAll
    void runTheOutage() throws Exception {
        redis = OwnRedis.startIn(dir.resolve("redis"));
        services = TestServices.forOneTestClass().withRedis(redis.url());
        for (int n = 1; n <= 2; n++) {
            nodes.add(ClusterNode.start(client.config(services, "it-redis-outage-" + n + "-" + services.run(),
                    NodeClient.UNLIMITED_SENDS)));
        }
        HttpResponse<String> created = client.post(port(1), "/v1/groups", client.token(ALICE),
                Map.of("group", GROUP_NAME, "members", List.of(CAROL, BOB)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        connect(1, ALICE, alice);
        connect(1, CAROL, carol);
        connect(2, BOB, bob);
        // a delivery to all three shows that presence and both nodes' subscriptions to the bus are in place
        aliceSends("before the outage");
        assertThat(Eventually.holds(NodeClient.WAIT, () -> everyoneHasReceived(sent.size())))
                .as("everyone received the message sent before the outage").isTrue();
        sentBeforeTheOutage = List.copyOf(sent);

        redis.stop();
        try {
            for (int i = 1; i <= SENT_WHILE_DOWN; i++) {
                aliceSends("#" + i + " while Redis is down");
            }
            sentWhileDown = List.copyOf(sent.subList(sentBeforeTheOutage.size(), sent.size()));
            Eventually.holds(LIVE_PATIENCE, () -> carol.ofType("msg").size() >= sent.size()
                    && alice.ofType("msg").size() >= sent.size());
            carolWhileDown = carol.ofType("msg");
            aliceWhileDown = alice.ofType("msg");
            bobWhileDown = bob.ofType("msg");
        } finally {
            redis.start();
        }

        // Each try sends one more message. A session learns of what it missed only from the next live
        // delivery (its seq shows the gap), and each node subscribes to the bus again in its own time.
        int sentUntilRedisReturned = sent.size();
        everySessionReachedAgain = Eventually.holds(RESUME_PATIENCE, () -> {
            aliceSends("after the outage, try " + (sent.size() - sentUntilRedisReturned + 1));
            return Stream.of(alice, carol, bob).allMatch(frames -> frames.ofType("msg").size() > sentUntilRedisReturned);
        });
        Eventually.holds(NodeClient.WAIT, () -> everyoneHasReceived(sent.size()));
    }

    @AfterAll
    void stopEverything() {
        try {
            if (services != null) {
                services.stopThenCleanUp(sockets, nodes);
            }
        } finally {
            if (redis != null) {
                redis.stop();
            }
        }
    }

    @Test
    void whileRedisIsDownASessionOnAnotherNodeMissesTheMessages() {
        assertThat(sentWhileDown).as("sends acked while Redis was down").hasSize(SENT_WHILE_DOWN);
        Timelines.assertReceivedInOrder(BOB, bobWhileDown, sentBeforeTheOutage, 1);
    }

    @Test
    void whileRedisIsDownSessionsOnTheSendersNodeGetTheMessagesLive() {
        List<AckedSend> untilNow = new ArrayList<>(sentBeforeTheOutage);
        untilNow.addAll(sentWhileDown);
        Timelines.assertReceivedInOrder(CAROL, carolWhileDown, untilNow, 1);
        Timelines.assertReceivedInOrder(ALICE, aliceWhileDown, untilNow, 1);
    }

    @Test
    void onceRedisIsBackCrossNodeDeliveriesResumeAndTheSessionFillsItsGapFromTheInbox() {
        assertThat(everySessionReachedAgain).as("messages sent after Redis came back reached every session live").isTrue();
        Timelines.assertReceivedInOrder(BOB, bob.ofType("msg"), sent, 1);
        assertThat(bob.ofType("error")).as("errors bob's session got").isEmpty();
    }

    @Test
    void theSessionsOnTheSendersNodeEndUpWithEveryMessageOnceInOrder() {
        Timelines.assertReceivedInOrder(CAROL, carol.ofType("msg"), sent, 1);
        Timelines.assertReceivedInOrder(ALICE, alice.ofType("msg"), sent, 1);
    }

    private void connect(int node, String user, Frames frames) throws InterruptedException {
        sockets.add(client.connect(port(node), client.token(user), frames));
        assertThat(frames.next().get("type").asText()).as("%s's first frame", user).isEqualTo("hello");
    }

    /** Alice sends to the group through node 1; the send must be acked. */
    private void aliceSends(String body) throws Exception {
        String id = "alice-" + (sent.size() + 1);
        sent.add(AckedSend.of(ALICE, body, client.send(port(1), client.token(ALICE),
                Map.of("type", "send", "id", id, "conversation", GROUP, "body", body))));
    }

    private boolean everyoneHasReceived(int messages) {
        return alice.ofType("msg").size() >= messages && carol.ofType("msg").size() >= messages
                && bob.ofType("msg").size() >= messages;
    }

    private int port(int node) {
        return nodes.get(node - 1).port();
    }
}
