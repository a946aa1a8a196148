package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three cluster nodes in this JVM share one keyspace and one Redis prefix. Fifty users hold one
 * WebSocket session each, spread round-robin over the nodes, and form one group; five of them send
 * to it all at once through varying nodes. Every session receives every message once, in
 * {@code conv_seq} order.
 * The admin API of any node sees the sessions of all three, and once node 3 stops, the presence
 * read through node 1 no longer lists node 3's sessions.
 */
class ClusterGroupIT {
    private static final NodeClient client = new NodeClient("cluster-group-it-secret", "cluster-group-it-admin");
    private static final int USERS = 50;
    private static final int SENDERS = 5;
    private static final int SENDS_EACH = 10;
    private static final int MESSAGES = SENDERS * SENDS_EACH;
    private static final String GROUP = "everyone";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    /** Two heartbeats (2 s each by default), with room to spare for a clean stop. */
    private static final Duration NODE_EXPIRY = Duration.ofSeconds(15);

    private static TestServices services;
    private static final List<String> nodeIds = new ArrayList<>();
    private static final List<ClusterNode> nodes = new ArrayList<>();
    private static final List<WebSocket> sockets = new ArrayList<>();

    @BeforeAll
    static void startThreeNodes() {
        services = TestServices.forOneTestClass();
        for (int n = 1; n <= 3; n++) {
            String id = "it-group-" + n + "-" + services.run();
            nodeIds.add(id);
            nodes.add(ClusterNode.start(client.config(services, id)));
        }
    }

    @AfterAll
    static void stopAndCleanUp() {
        if (services != null) {
            services.stopThenCleanUp(sockets, nodes);
        }
    }

    @Test
    void everySessionGetsEveryGroupMessageOnceInOrderAndADeadNodeLeavesPresence() throws Exception {
        List<String> users = IntStream.range(0, USERS).mapToObj(u -> String.format("u%02d", u)).toList();
        List<Frames> frames = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            Frames received = new Frames();
            frames.add(received);
            sockets.add(client.connect(nodeOf(u).port(), client.token(users.get(u)), received));
        }
        for (ClusterNode node : nodes) {
            await("stats of every node").atMost(DELIVERY).untilAsserted(() -> {
                JsonNode stats = client.stats(node.adminPort());
                assertThat(stats.get("sessions").asInt()).isEqualTo(USERS);
                assertThat(stats.get("online_users").asInt()).isEqualTo(USERS);
                for (int n = 0; n < nodeIds.size(); n++) {
                    int onNode = n;
                    assertThat(stats.get("by_node").get(nodeIds.get(n)).asInt())
                            .isEqualTo((int) IntStream.range(0, USERS).filter(u -> u % 3 == onNode).count());
                }
            });
        }

        HttpResponse<String> created = client.post(nodes.get(0).port(), "/v1/groups", client.token(users.get(0)),
                Map.of("group", GROUP, "members", users.subList(1, USERS)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        Set<String> sent = sendAtOnce(users.subList(0, SENDERS));
        assertThat(sent).hasSize(MESSAGES);

        await("every session has every message").atMost(DELIVERY).untilAsserted(() -> {
            for (int u = 0; u < USERS; u++) {
                assertThat(frames.get(u).ofType("msg")).as("%s's messages", users.get(u)).hasSizeGreaterThanOrEqualTo(MESSAGES);
            }
        });
        for (int u = 0; u < USERS; u++) {
            assertReceivedEachOnceInOrder(users.get(u), frames.get(u).ofType("msg"), sent);
        }

        String userOnNode3 = users.get(2);
        JsonNode presence = client.admin(nodes.get(0).adminPort(), "/admin/presence/" + userOnNode3);
        assertThat(presence.get("online").asBoolean()).isTrue();
        assertThat(presence.get("sessions")).hasSize(1);
        assertThat(presence.get("sessions").get(0).get("node").asText()).isEqualTo(nodeIds.get(2));

        List<String> usersOnNode3 = IntStream.range(0, USERS).filter(u -> u % 3 == 2).mapToObj(users::get).toList();
        String query = usersOnNode3.stream().map(user -> "user=" + user).collect(Collectors.joining("&"));
        nodes.get(2).stop();
        await("node 3's sessions leave presence").atMost(NODE_EXPIRY).untilAsserted(() -> {
            JsonNode answer = client.admin(nodes.get(0).adminPort(), "/admin/presence?" + query);
            assertThat(answer.get("users")).hasSize(usersOnNode3.size());
            for (JsonNode user : answer.get("users")) {
                for (JsonNode session : user.get("sessions")) {
                    assertThat(session.get("node").asText()).as("%s's session", user.get("user").asText())
                            .isNotEqualTo(nodeIds.get(2));
                }
            }
            assertThat(client.stats(nodes.get(0).adminPort()).get("sessions").asInt())
                    .isEqualTo(USERS - usersOnNode3.size());
        });
    }

    /** User {@code u}'s session lives on node {@code u % 3}. */
    private static ClusterNode nodeOf(int u) {
        return nodes.get(u % 3);
    }

    /**
     * The senders all send at once, each from its own thread, sender {@code s}'s message {@code i}
     * going through node {@code (s + i) % 3}; returns "from/id" of each.
     */
    private static Set<String> sendAtOnce(List<String> senders) {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(senders.size());
        try {
            List<CompletableFuture<List<String>>> sending = new ArrayList<>();
            for (int s = 0; s < senders.size(); s++) {
                int sender = s;
                sending.add(CompletableFuture.supplyAsync(() -> sendAll(senders.get(sender), sender, start), threads));
            }
            start.countDown();
            return sending.stream().flatMap(done -> done.join().stream()).collect(Collectors.toSet());
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<String> sendAll(String sender, int s, CountDownLatch start) {
        try {
            start.await();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < SENDS_EACH; i++) {
                String id = sender + "-" + i;
                JsonNode answer = client.send(nodeOf(s + i).port(), client.token(sender),
                        Map.of("type", "send", "id", id, "conversation", "g:" + GROUP, "body", "#" + i + " from " + sender));
                assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("sent");
                sent.add(sender + "/" + id);
            }
            return sent;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static void assertReceivedEachOnceInOrder(String user, List<JsonNode> messages, Set<String> sent) {
        assertThat(messages).as("%s's messages", user).hasSize(MESSAGES);
        Set<Long> seqs = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode msg = messages.get(i);
            assertThat(msg.get("conversation").asText()).isEqualTo("g:" + GROUP);
            assertThat(seqs.add(msg.get("seq").asLong())).as("%s's seq %s once", user, msg.get("seq")).isTrue();
            assertThat(keys.add(msg.get("from").asText() + "/" + msg.get("id").asText())).as("%s's message %d once", user, i).isTrue();
            if (i > 0) {
                JsonNode previous = messages.get(i - 1);
                assertThat(msg.get("seq").asLong()).as("%s's seq after %s", user, previous.get("seq"))
                        .isEqualTo(previous.get("seq").asLong() + 1);
                assertThat(msg.get("conv_seq").asLong()).as("%s's conv_seq after %s", user, previous.get("conv_seq"))
                        .isEqualTo(previous.get("conv_seq").asLong() + 1);
            }
        }
        assertThat(keys).as("%s received every message sent", user).isEqualTo(sent);
    }
}
