package dev.pigeon.ops.cluster;

import dev.pigeon.ops.ClientTokens;
import dev.pigeon.ops.cluster.NodeProcesses.NodeProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Positions survive faults: while several users send to one group through two node processes, node 1
 * is killed with SIGKILL and later started again, and the Redis both nodes share is restarted (losing
 * every key). Afterwards every inbox is contiguous from seq 1 with each message once and in conv_seq
 * order, every acked message is there as acked, and the group's log is contiguous from conv_seq 1.
 *
 * <p>The senders pause at a third of their sends until node 1 is dead, so the second third runs
 * against a dead node 1 (every send first aimed there is retried on node 2) and across the Redis
 * restart; they pause again at two thirds until node 1 is back, so the last third uses both nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_SECRET = "cluster-fault-it-secret";
    private static final String ADMIN_TOKEN = "cluster-fault-it-admin";
    private static final String GROUP = "faults";
    private static final int SENDERS = 6;
    private static final int SENDS_EACH = 40;
    private static final int FAULT_AT = SENDS_EACH / 3;
    private static final int RESTARTED_AT = 2 * SENDS_EACH / 3;
    private static final Duration SEND_PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ClientTokens tokens = new ClientTokens(JWT_SECRET, Duration.ofHours(1), Clock.systemUTC());
    private final AtomicReferenceArray<NodeProcess> nodes = new AtomicReferenceArray<>(2);
    private final AtomicInteger retries = new AtomicInteger();
    private TestServices services;
    private NodeProcesses processes;
    private Path redisDir;
    private int redisPort;

    /** What the server acknowledged for one send. */
    private record Acked(String from, String id, String body, long seq, long convSeq) {
    }

    @BeforeAll
    void startRedisAndNodes() throws Exception {
        redisPort = NodeProcesses.freePort();
        redisDir = dir.resolve("redis");
        redis("start");
        TestServices shared = TestServices.forOneTestClass();
        services = new TestServices("redis://127.0.0.1:" + redisPort, shared.cassandra(), shared.keyspace(),
                shared.redisPrefix(), shared.run());
        processes = new NodeProcesses(dir, services, JWT_SECRET, ADMIN_TOKEN);
        nodes.set(0, processes.start("node-1"));
        nodes.set(1, processes.start("node-2"));
        processes.awaitReady(nodes.get(0));
        processes.awaitReady(nodes.get(1));
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (processes != null) {
            processes.close();
        }
        try {
            if (services != null) {
                services.cleanUp();
            }
        } finally {
            redis("stop");
        }
    }

    @Test
    void positionsStayContiguousAndAckedMessagesSurviveANodeKillAndARedisRestart() throws Exception {
        List<String> users = new ArrayList<>();
        for (int u = 0; u < SENDERS; u++) {
            users.add("u" + u);
        }
        HttpResponse<String> created = http.send(request(nodes.get(1), "/v1/groups", "u0")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("group", GROUP, "members", users.subList(1, users.size())))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        CountDownLatch reachedFault = new CountDownLatch(SENDERS);
        CountDownLatch node1Killed = new CountDownLatch(1);
        CountDownLatch node1Restarted = new CountDownLatch(1);
        Map<String, Acked> acked = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> senders = new ArrayList<>();
        try {
            for (String user : users) {
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < SENDS_EACH; i++) {
                        if (i == FAULT_AT) {
                            reachedFault.countDown();
                            assertThat(node1Killed.await(2, TimeUnit.MINUTES)).as("node 1 killed").isTrue();
                        }
                        if (i == RESTARTED_AT) {
                            assertThat(node1Restarted.await(3, TimeUnit.MINUTES)).as("node 1 restarted").isTrue();
                        }
                        Acked ack = sendUntilAcked(user, user + "-" + i, "from " + user + " #" + i, i % 2);
                        acked.put(ack.from() + "/" + ack.id(), ack);
                    }
                    return null;
                }));
            }

            assertThat(reachedFault.await(2, TimeUnit.MINUTES)).as("every sender reached the fault").isTrue();
            nodes.get(0).kill();
            node1Killed.countDown();
            redis("restart");
            NodeProcess restarted = processes.start("node-1");
            nodes.set(0, restarted);
            processes.awaitReady(restarted);
            node1Restarted.countDown();

            for (Future<?> sender : senders) {
                sender.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(acked).hasSize(SENDERS * SENDS_EACH);
        assertThat(retries.get()).as("sends retried on the other node").isPositive();
        for (String user : users) {
            assertInboxHoldsEveryMessageOnceInOrder(user, acked);
        }
        assertGroupLogIsContiguous(acked);
    }

    /** Sends one message, retrying with the same id on the other node after an error, until it is acked. */
    private Acked sendUntilAcked(String user, String id, String body, int firstNode) throws IOException {
        String frame = JSON.writeValueAsString(Map.of("type", "send", "id", id, "conversation", "g:" + GROUP, "body", body));
        AtomicReference<JsonNode> sent = new AtomicReference<>();
        int[] attempt = {firstNode};
        await("ack of " + id).atMost(SEND_PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (attempt[0] != firstNode) {
                        retries.incrementAndGet();
                    }
                    NodeProcess node = nodes.get(attempt[0]++ % 2);
                    try {
                        HttpResponse<String> answer = http.send(request(node, "/v1/send", user)
                                .POST(HttpRequest.BodyPublishers.ofString(frame)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            return false;
                        }
                        sent.set(JSON.readTree(answer.body()));
                        return true;
                    } catch (IOException unreachable) {
                        return false;
                    }
                });
        JsonNode frameSent = sent.get();
        assertThat(frameSent.get("type").asText()).isEqualTo("sent");
        assertThat(frameSent.get("id").asText()).isEqualTo(id);
        assertThat(frameSent.get("conversation").asText()).isEqualTo("g:" + GROUP);
        return new Acked(user, id, body, frameSent.get("seq").asLong(), frameSent.get("conv_seq").asLong());
    }

    private void assertInboxHoldsEveryMessageOnceInOrder(String user, Map<String, Acked> acked) throws Exception {
        List<JsonNode> inbox = new ArrayList<>();
        long since = 0;
        while (true) {
            JsonNode page = getJson(nodes.get(1), "/v1/sync?since=" + since + "&limit=1000", user);
            JsonNode messages = page.get("messages");
            if (messages.isEmpty()) {
                assertThat(page.get("head").asLong()).as("%s's head", user).isEqualTo(since);
                break;
            }
            messages.forEach(inbox::add);
            since = messages.get(messages.size() - 1).get("seq").asLong();
        }

        assertThat(inbox).as("%s's inbox", user).hasSize(acked.size());
        Map<String, JsonNode> byKey = new HashMap<>();
        for (int i = 0; i < inbox.size(); i++) {
            JsonNode entry = inbox.get(i);
            assertThat(entry.get("seq").asLong()).as("%s's entry %d", user, i).isEqualTo(i + 1);
            assertThat(entry.get("conv_seq").asLong()).as("%s's entry %d in conv_seq order", user, i).isEqualTo(i + 1);
            String key = entry.get("from").asText() + "/" + entry.get("id").asText();
            assertThat(byKey.put(key, entry)).as("%s sees %s once", user, key).isNull();
        }
        for (Acked ack : acked.values()) {
            JsonNode entry = byKey.get(ack.from() + "/" + ack.id());
            assertThat(entry).as("%s holds acked %s/%s", user, ack.from(), ack.id()).isNotNull();
            assertThat(entry.get("body").asText()).isEqualTo(ack.body());
            assertThat(entry.get("conversation").asText()).isEqualTo("g:" + GROUP);
            assertThat(entry.get("conv_seq").asLong()).isEqualTo(ack.convSeq());
            if (ack.from().equals(user)) {
                assertThat(entry.get("seq").asLong()).as("acked seq of %s", ack.id()).isEqualTo(ack.seq());
            }
        }
    }

    private void assertGroupLogIsContiguous(Map<String, Acked> acked) throws Exception {
        List<JsonNode> log = new ArrayList<>();
        String before = "";
        while (true) {
            JsonNode page = getJson(nodes.get(1), "/v1/history/g:" + GROUP + "?limit=1000" + before, "u0");
            JsonNode messages = page.get("messages");
            if (messages.isEmpty()) {
                break;
            }
            messages.forEach(log::add);
            before = "&before=" + messages.get(messages.size() - 1).get("conv_seq").asLong();
        }

        assertThat(log).hasSize(acked.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            JsonNode entry = log.get(i);
            assertThat(entry.get("conv_seq").asLong()).as("history entry %d, newest first", i).isEqualTo(log.size() - i);
            String key = entry.get("from").asText() + "/" + entry.get("id").asText();
            assertThat(seen.add(key)).as("%s once in the group log", key).isTrue();
            Acked ack = acked.get(key);
            assertThat(ack).as("%s was acked", key).isNotNull();
            assertThat(entry.get("conv_seq").asLong()).isEqualTo(ack.convSeq());
            assertThat(entry.get("body").asText()).isEqualTo(ack.body());
        }
    }

    private JsonNode getJson(NodeProcess node, String path, String user) throws Exception {
        HttpResponse<String> answer = http.send(request(node, path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpRequest.Builder request(NodeProcess node, String path, String user) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + tokens.mint(user));
    }

    /** Runs {@code ops/bin/redis COMMAND} on this class's own Redis. */
    private void redis(String command) throws IOException, InterruptedException {
        Path script = Path.of("bin", "redis").toAbsolutePath();
        Process process = new ProcessBuilder(script.toString(), command, "--dir", redisDir.toString(),
                "--port", String.valueOf(redisPort))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + command + ".out").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("redis %s finished", command).isTrue();
        assertThat(process.exitValue()).as("redis %s: %s", command,
                Files.readString(dir.resolve("redis-" + command + ".out"))).isZero();
    }
}
