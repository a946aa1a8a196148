package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeClient.Frames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cassandra freezes (SIGSTOP on the shared node) while three members of a group keep sending to it
 * through one cluster node, and comes back (SIGCONT) without the node restarting. The outage runs
 * once, before the tests; each test checks one promise against what it recorded:
 *
 * <ul>
 *   <li>a send while Cassandra is frozen is answered {@code unavailable}: it comes at all, bounded
 *       by the storage timeout;</li>
 *   <li>once enough sends failed, the storage circuit opens and refuses sends without reaching
 *       Cassandra;</li>
 *   <li>once Cassandra is back, sends through the same node succeed again, and a retry of a refused
 *       send with the same id yields that one message, the same {@code sent} every time;</li>
 *   <li>after every refused send was retried with its own id until acked, the group's log and every
 *       member's inbox (and those of a direct conversation) hold positions 1 to n, each acked
 *       message exactly once at the positions its {@code sent} frame named, and nothing else;</li>
 *   <li>before those retries, the log and the inboxes are already contiguous from 1, without a
 *       repeat; and every message visible there is whole: in the log and in every member's inbox,
 *       or nowhere.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCassandraOutageIT {
    private static final NodeClient client = new NodeClient("cluster-cassandra-outage-it-secret",
            "cluster-cassandra-outage-it-admin");
    private static final String GROUP_NAME = "outage";
    private static final String GROUP = "g:" + GROUP_NAME;
    private static final List<String> MEMBERS = List.of("u1", "u2", "u3");
    private static final String WALT = "walt";
    private static final String KIM = "kim";
    private static final String DM = "dm:kim:walt";
    private static final String FROZEN_ID = "walt-frozen";
    private static final String FROZEN_BODY = "sent while Cassandra is frozen";
    /** Sends each group member gets acked before Cassandra freezes, so that they are in full swing. */
    private static final int ACKED_BEFORE_PAUSE = 3;
    /** Sends in flight at once to open the circuit: more than its minimum number of calls (10). */
    private static final int BURST = 12;
    private static final Duration OUTAGE_PATIENCE = Duration.ofSeconds(60);
    private static final String BREAKER_STATE = "resilience4j_circuitbreaker_state";
    private static final String NOT_PERMITTED = "resilience4j_circuitbreaker_not_permitted_calls_total";
    private static final String STORAGE = "name=\"storage\"";

    private TestServices services;
    private ClusterNode node;
    private WebSocket waltSocket;
    private final Frames waltFrames = new Frames();

    /** Sends answered {@code sent} (the latest answer for each sender and id). */
    private final Map<String, AckedSend> acked = new ConcurrentHashMap<>();
    /** Sends answered with an error, by sender and id: retried with the same id after the outage. */
    private final Map<String, Refused> refused = new ConcurrentHashMap<>();
    /** The answers of every refused send. */
    private final Queue<Answer> refusals = new ConcurrentLinkedQueue<>();
    /** Numbers the sends made to open the circuit and to find it open, so that each has an id of its own. */
    private final AtomicInteger outageSends = new AtomicInteger();

    // what the outage showed
    private JsonNode answerWhileFrozen;
    private boolean circuitOpened;
    private boolean refusedByTheOpenCircuit;
    private boolean succeededAfterResume;
    private JsonNode firstRetry;
    private JsonNode secondRetry;
    private final Map<String, List<JsonNode>> beforeRetries = new HashMap<>();

    private record Refused(String from, String id, String conversation, String body) {
    }

    private record Answer(String id, int status, JsonNode frame) {
    }

    @BeforeAll
    void runTheOutage() throws Exception {
        services = TestServices.forOneTestClass();
        node = ClusterNode.start(client.config(services, "it-cassandra-outage-" + services.run(),
                NodeClient.UNLIMITED_SENDS));
        HttpResponse<String> created = client.post(node.port(), "/v1/groups", client.token(MEMBERS.get(0)),
                Map.of("group", GROUP_NAME, "members", MEMBERS.subList(1, MEMBERS.size())));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        waltSocket = client.connect(node.port(), client.token(WALT), waltFrames);
        assertThat(waltFrames.next().get("type").asText()).isEqualTo("hello");
        assertThat(trySend(WALT, DM, "walt-before", "before the outage")).isEqualTo(200);

        ExecutorService pool = Executors.newFixedThreadPool(MEMBERS.size() + BURST);
        try {
            CountDownLatch inFullSwing = new CountDownLatch(MEMBERS.size());
            List<Future<Void>> chatter = MEMBERS.stream()
                    .map(member -> pool.submit(() -> chatterUntilRefused(member, inFullSwing)))
                    .toList();
            assertThat(inFullSwing.await(NodeClient.WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("members in full swing").isTrue();
            services.pauseCassandra();
            try {
                answerWhileFrozen = sendOverWebSocket(FROZEN_ID, FROZEN_BODY);
                for (Future<Void> member : chatter) {
                    member.get(OUTAGE_PATIENCE.toSeconds(), TimeUnit.SECONDS);
                }
                circuitOpened = Eventually.holds(OUTAGE_PATIENCE, () -> burstOpensTheCircuit(pool));
                refusedByTheOpenCircuit = circuitOpened
                        && Eventually.holds(OUTAGE_PATIENCE, this::aSendIsRefusedByTheOpenCircuit);
            } finally {
                services.resumeCassandra();
            }
        } finally {
            pool.shutdownNow();
        }

        AtomicInteger probes = new AtomicInteger();
        succeededAfterResume = Eventually.holds(OUTAGE_PATIENCE, () ->
                trySend(WALT, DM, "walt-probe-" + probes.incrementAndGet(), "after the outage") == 200);
        beforeRetries.put(GROUP, client.log(node.port(), MEMBERS.get(0), GROUP));
        for (String member : MEMBERS) {
            beforeRetries.put(member, client.inbox(node.port(), member));
        }

        firstRetry = sendOverWebSocket(FROZEN_ID, FROZEN_BODY);
        secondRetry = sendOverWebSocket(FROZEN_ID, FROZEN_BODY);
        for (Refused send : refused.values()) {
            if (!acked.containsKey(AckedSend.key(send.from(), send.id()))) {
                await("ack of the retried " + send.id()).atMost(OUTAGE_PATIENCE).pollInterval(Duration.ofMillis(200))
                        .until(() -> trySend(send.from(), send.conversation(), send.id(), send.body()) == 200);
            }
        }
    }

    @AfterAll
    void stopAndCleanUp() {
        if (waltSocket != null) {
            waltSocket.abort();
        }
        if (node != null) {
            node.stop();
        }
        if (services != null) {
            services.cleanUp();
        }
    }

    @Test
    void aSendWhileCassandraIsFrozenIsAnsweredUnavailable() {
        assertThat(answerWhileFrozen).as("an answer to the send on the WebSocket while Cassandra is frozen").isNotNull();
        assertUnavailable(answerWhileFrozen, FROZEN_ID);
        assertThat(refusals).as("answers of refused HTTP sends").hasSizeGreaterThanOrEqualTo(MEMBERS.size() + BURST);
        for (Answer refusal : refusals) {
            assertThat(refusal.status()).as("status of %s", refusal.frame()).isEqualTo(503);
            assertUnavailable(refusal.frame(), refusal.id());
        }
    }

    @Test
    void onceEnoughSendsFailedTheOpenCircuitRefusesSendsWithoutReachingCassandra() {
        assertThat(circuitOpened).as("the storage circuit opened").isTrue();
        assertThat(refusedByTheOpenCircuit).as("a send refused as not permitted by the open circuit").isTrue();
    }

    @Test
    void onceCassandraIsBackSendsSucceedOnTheSameNodeAndARetryYieldsTheSameSent() {
        assertThat(succeededAfterResume).as("a send through the same node succeeded after Cassandra came back").isTrue();
        assertThat(firstRetry.get("type").asText()).as("answer to the retry: %s", firstRetry).isEqualTo("sent");
        assertThat(firstRetry.get("ref").asText()).isEqualTo(FROZEN_ID);
        assertThat(secondRetry).as("the answer to a second retry with the same id").isEqualTo(firstRetry);
    }

    @Test
    void afterTheRetriesTheLogAndEveryInboxHoldEachAckedMessageOnce() throws Exception {
        Collection<AckedSend> toGroup = ackedIn(GROUP);
        assertThat(toGroup).as("group sends acked").hasSizeGreaterThan(MEMBERS.size() * ACKED_BEFORE_PAUSE);
        Timelines.assertLogHoldsEachOnce(client.log(node.port(), MEMBERS.get(0), GROUP), toGroup);
        for (String member : MEMBERS) {
            Timelines.assertInboxHoldsEachOnce(member, client.inbox(node.port(), member), toGroup);
        }
        Collection<AckedSend> direct = ackedIn(DM);
        assertThat(direct).extracting(AckedSend::id).contains("walt-before", FROZEN_ID, "walt-probe-1");
        Timelines.assertLogHoldsEachOnce(client.log(node.port(), WALT, DM), direct);
        Timelines.assertInboxHoldsEachOnce(WALT, client.inbox(node.port(), WALT), direct);
        Timelines.assertInboxHoldsEachOnce(KIM, client.inbox(node.port(), KIM), direct);
    }

    @Test
    void beforeTheRetriesTheLogAndEveryInboxAreContiguous() {
        assertContiguous(beforeRetries.get(GROUP), "conv_seq", "the group's log");
        for (String member : MEMBERS) {
            assertContiguous(beforeRetries.get(member), "seq", member + "'s inbox");
        }
    }

    /**
     * A send answered {@code unavailable} may have reached Cassandra in part. Until it is retried,
     * whatever of it is visible must be whole: in the log and in every member's inbox, or nowhere.
     */
    @Test
    void beforeTheRetriesNothingHalfWrittenIsVisible() {
        Set<String> inLog = keys(beforeRetries.get(GROUP));
        for (String member : MEMBERS) {
            Set<String> inInbox = keys(beforeRetries.get(member));
            assertThat(inInbox).as("%s's inbox against the group's log", member).isEqualTo(inLog);
        }
    }

    /** Sends to the group one message after another until one is refused (once Cassandra is frozen). */
    private Void chatterUntilRefused(String member, CountDownLatch inFullSwing) throws Exception {
        for (int i = 1; ; i++) {
            if (trySend(member, GROUP, member + "-" + i, "#" + i + " from " + member) != 200) {
                return null;
            }
            if (i == ACKED_BEFORE_PAUSE) {
                inFullSwing.countDown();
            }
        }
    }

    /** Sends {@link #BURST} messages at once (each refused once the storage timeout passes); true once the circuit is open. */
    private boolean burstOpensTheCircuit(ExecutorService pool) throws Exception {
        int burst = outageSends.incrementAndGet();
        List<Future<Integer>> sends = IntStream.range(0, BURST)
                .mapToObj(i -> pool.submit(() -> trySend(WALT, DM, "walt-burst-" + burst + "-" + i, "burst")))
                .toList();
        for (Future<Integer> send : sends) {
            send.get(OUTAGE_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        return client.metric(node.adminPort(), BREAKER_STATE, STORAGE, "state=\"open\"") == 1;
    }

    /** True when a send was refused and the circuit counted a call it did not let through meanwhile. */
    private boolean aSendIsRefusedByTheOpenCircuit() throws Exception {
        double before = client.metric(node.adminPort(), NOT_PERMITTED, STORAGE);
        int status = trySend(WALT, DM, "walt-refused-" + outageSends.incrementAndGet(), "refused");
        return status != 200 && client.metric(node.adminPort(), NOT_PERMITTED, STORAGE) > before;
    }

    /**
     * Sends through {@code POST /v1/send} and returns the status: a {@code sent} answer is recorded
     * as acked, an error as a refusal (and the send as one to retry).
     */
    private int trySend(String from, String conversation, String id, String body) throws Exception {
        HttpResponse<String> response = client.post(node.port(), "/v1/send", client.token(from),
                Map.of("type", "send", "id", id, "conversation", conversation, "body", body));
        JsonNode answer = NodeClient.JSON.readTree(response.body());
        if (response.statusCode() == 200) {
            acked.put(AckedSend.key(from, id), AckedSend.of(from, body, answer));
        } else {
            refusals.add(new Answer(id, response.statusCode(), answer));
            refused.putIfAbsent(AckedSend.key(from, id), new Refused(from, id, conversation, body));
        }
        return response.statusCode();
    }

    /** Sends to kim on walt's WebSocket and returns the answer, skipping walt's own msg frames; fails when none comes. */
    private JsonNode sendOverWebSocket(String id, String body) throws Exception {
        waltSocket.sendText(NodeClient.JSON.writeValueAsString(
                Map.of("type", "send", "id", id, "conversation", DM, "body", body)), true).join();
        JsonNode answer;
        do {
            answer = waltFrames.next();
        } while (answer.get("type").asText().equals("msg"));
        if (answer.get("type").asText().equals("sent")) {
            acked.put(AckedSend.key(WALT, id), AckedSend.of(WALT, body, answer));
        } else {
            refused.putIfAbsent(AckedSend.key(WALT, id), new Refused(WALT, id, DM, body));
        }
        return answer;
    }

    private static void assertUnavailable(JsonNode error, String id) {
        assertThat(error.get("type").asText()).as("answer to %s: %s", id, error).isEqualTo("error");
        assertThat(error.get("code").asText()).as("answer to %s: %s", id, error).isEqualTo("unavailable");
        assertThat(error.get("ref").asText()).as("ref of %s", error).isEqualTo(id);
    }

    private Collection<AckedSend> ackedIn(String conversation) {
        return acked.values().stream().filter(send -> send.conversation().equals(conversation)).toList();
    }

    private static Set<String> keys(List<JsonNode> entries) {
        return entries.stream().map(AckedSend::keyOf).collect(Collectors.toSet());
    }

    /** Positions 1, 2, 3... in order: no hole, no repeat. */
    private static void assertContiguous(List<JsonNode> entries, String position, String what) {
        List<Long> positions = new ArrayList<>();
        entries.forEach(entry -> positions.add(entry.get(position).asLong()));
        assertThat(positions).as(what).containsExactlyElementsOf(
                IntStream.rangeClosed(1, entries.size()).mapToObj(Long::valueOf).toList());
    }
}
