package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.cluster.NodeProcesses.NodeProcess;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node killed under chatting users. Three node processes beat presence every second; six users
 * hold one WebSocket session each, two per node, and share one group; four of them keep sending to
 * it, each message retried with the same id until it is acked, as a real client does. Node 2 is
 * SIGKILLed while they send. Its users (a sender and a listener) reconnect to another node, resuming
 * after the last {@code seq} they saw, and everybody carries on.
 *
 * <p>Afterwards every user has received {@code seq} 1 to N across their sessions, each once and in
 * order, N being the number of acked messages, each with its acked body; and the admin presence read
 * through a surviving node stops listing node 2's sessions within two heartbeats of the kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterKillIT {
    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);
    private static final String JWT_SECRET = "cluster-kill-it-secret";
    private static final String ADMIN_TOKEN = "cluster-kill-it-admin";
    private static final NodeClient client = new NodeClient(JWT_SECRET, ADMIN_TOKEN);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** How late Awaitility may notice that its condition holds. */
    private static final Duration POLLING_SLACK = Duration.ofSeconds(1);
    private static final String GROUP = "kill";
    private static final int NODES = 3;
    private static final int KILLED = 1;
    private static final List<String> USERS = IntStream.range(0, 6).mapToObj(u -> "u" + u).toList();
    /** The first four send; user {@code u} starts on node {@code u % 3}, so node 2 holds a sender and a listener. */
    private static final int SENDERS = 4;
    private static final int ACKED_BEFORE_KILL = 10;
    private static final int ACKED_AFTER_KILL = 10;
    /** How long a client waits for the answer to a send before it gives up on its socket. */
    private static final Duration REPLY_PATIENCE = Duration.ofSeconds(15);
    /** How long a client waits after {@code rate_limited} or {@code unavailable} before sending again. */
    private static final Duration BACKOFF = Duration.ofMillis(100);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonNode GONE = NodeClient.JSON.createObjectNode().put("type", "gone");

    /** Keeps the nodes' logs when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Queue<AckedSend> acked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopSending = new AtomicBoolean();
    private final CountDownLatch sendersDone = new CountDownLatch(SENDERS);
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<CompletableFuture<Void>> chatting = new CopyOnWriteArrayList<>();
    private TestServices services;
    private NodeProcesses processes;

    @BeforeAll
    void startNodes() throws Exception {
        services = TestServices.forOneTestClass();
        processes = new NodeProcesses(dir, services, JWT_SECRET, ADMIN_TOKEN,
                "--presence-heartbeat", HEARTBEAT.toMillis() + "ms");
        for (int n = 1; n <= NODES; n++) {
            nodes.add(processes.start("kill-" + n + "-" + services.run()));
        }
        nodes.forEach(processes::awaitReady);
    }

    @AfterAll
    void stopEverything() throws Exception {
        finished.set(true);
        threads.shutdownNow();
        try {
            if (processes != null) {
                processes.close();
            }
        } finally {
            if (services != null) {
                services.cleanUp();
            }
        }
    }

    @Test
    void usersOfAKilledNodeResumeElsewhereWithoutAGapOrARepeatAndItsSessionsLeavePresenceWithinTwoHeartbeats()
            throws Exception {
        HttpResponse<String> created = client.post(nodes.get(0).port(), "/v1/groups", client.token(USERS.get(0)),
                Map.of("group", GROUP, "members", USERS.subList(1, USERS.size())));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        List<Chatter> chatters = new ArrayList<>();
        for (int u = 0; u < USERS.size(); u++) {
            Chatter chatter = new Chatter(USERS.get(u), u % NODES);
            chatter.connect();
            chatters.add(chatter);
        }
        NodeProcess doomed = nodes.get(KILLED);
        List<Chatter> onDoomed = chatters.stream().filter(chatter -> chatter.node == KILLED).toList();
        String everyone = USERS.stream().map(user -> "user=" + user).collect(Collectors.joining("&"));
        NodeProcess survivor = nodes.get(0);
        await("the doomed node's sessions in presence").atMost(PATIENCE)
                .until(() -> sessionsOn(doomed, survivor, everyone) == onDoomed.size());

        chatters.forEach(chatter -> chatting.add(CompletableFuture.runAsync(chatter::chat, threads)));
        List<Chatter> senders = chatters.subList(0, SENDERS);
        patiently("every sender's first messages acked")
                .until(() -> senders.stream().allMatch(sender -> sender.sent.get() >= ACKED_BEFORE_KILL));

        log.info("killing {} after {} acked sends", doomed.id(), acked.size());
        Duration presenceDeadline = HEARTBEAT.multipliedBy(2).plus(POLLING_SLACK);
        long killedAt = System.nanoTime();
        doomed.kill();
        Map<Chatter, Integer> sentAtKill = senders.stream()
                .collect(Collectors.toMap(sender -> sender, sender -> sender.sent.get()));
        await("the killed node's sessions leave presence")
                .atMost(presenceDeadline.minusNanos(System.nanoTime() - killedAt))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sessionsOn(doomed, survivor, everyone) == 0);
        log.info("{}'s sessions left presence {} ms after the kill", doomed.id(),
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

        patiently("every sender sends on after the kill").until(() -> senders.stream()
                .allMatch(sender -> sender.sent.get() >= sentAtKill.get(sender) + ACKED_AFTER_KILL));
        stopSending.set(true);
        patiently("every sender's last send acked").until(() -> sendersDone.getCount() == 0);
        patiently("every user has every acked message").until(() -> chatters.stream()
                .allMatch(chatter -> chatter.receivedCount() >= acked.size()));
        finished.set(true);
        CompletableFuture.allOf(chatting.toArray(CompletableFuture[]::new)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        log.info("{} acked sends; reconnects: {}", acked.size(), chatters.stream()
                .collect(Collectors.toMap(chatter -> chatter.user, chatter -> chatter.reconnects.get())));
        List<AckedSend> inGroupOrder = acked.stream().sorted(Comparator.comparingLong(AckedSend::convSeq)).toList();
        for (Chatter chatter : chatters) {
            Timelines.assertReceivedInOrder(chatter.user, chatter.received(), inGroupOrder, 1);
        }
        Timelines.assertLogHoldsEachOnce(client.log(survivor.port(), USERS.get(0), "g:" + GROUP), acked);
        for (Chatter chatter : onDoomed) {
            assertThat(chatter.reconnects.get()).as("%s's reconnects", chatter.user).isPositive();
            assertThat(chatter.node).as("%s's node at the end", chatter.user).isNotEqualTo(KILLED);
        }
    }

    /** Waits as long as a loaded machine may need, but stops at once when a chatter failed. */
    private ConditionFactory patiently(String what) {
        return await(what).atMost(PATIENCE).failFast(() -> chatting.stream()
                .filter(CompletableFuture::isCompletedExceptionally).forEach(CompletableFuture::join));
    }

    /** How many sessions of {@code node} the admin presence read through {@code observer} lists. */
    private static long sessionsOn(NodeProcess node, NodeProcess observer, String users) throws Exception {
        JsonNode answer = client.admin(observer.adminPort(), "/admin/presence?" + users);
        long count = 0;
        for (JsonNode user : answer.get("users")) {
            for (JsonNode session : user.get("sessions")) {
                if (session.get("node").asText().equals(node.id())) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * One user's client: one WebSocket at a time; when it dies, a new one on the next node that
     * answers, resuming after the last {@code seq} received. A sender sends until told to stop,
     * each message until acked, with the same id on every attempt.
     */
    private final class Chatter {
        final String user;
        final String token;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger reconnects = new AtomicInteger();
        private final List<JsonNode> received = new ArrayList<>();
        private long lastSeq;
        volatile int node;
        private volatile Connection connection;

        Chatter(String user, int node) {
            this.user = user;
            this.token = client.token(user);
            this.node = node;
        }

        /** Opens the first session, on this user's own node. */
        void connect() {
            connection = open(node, 0);
        }

        void chat() {
            try {
                if (USERS.indexOf(user) < SENDERS) {
                    while (!stopSending.get()) {
                        int i = sent.get();
                        send(user + "-" + i, "#" + i + " from " + user);
                        sent.incrementAndGet();
                    }
                    sendersDone.countDown();
                }
                while (!finished.get()) {
                    if (connection.gone.await(BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
                        reconnect();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }

        synchronized List<JsonNode> received() {
            return List.copyOf(received);
        }

        synchronized int receivedCount() {
            return received.size();
        }

        /** Sends until acked; {@code rate_limited} and {@code unavailable} are tried again after a pause. */
        private void send(String id, String body) throws InterruptedException {
            String frame = NodeClient.JSON.createObjectNode().put("type", "send").put("id", id)
                    .put("conversation", "g:" + GROUP).put("body", body).toString();
            while (true) {
                Connection current = connection;
                JsonNode reply = current.ask(frame, id);
                switch (reply.get("type").asText()) {
                    case "sent" -> {
                        acked.add(AckedSend.of(user, body, reply));
                        return;
                    }
                    case "error" -> {
                        String code = reply.get("code").asText();
                        assertThat(code).as("%s's send %s: %s", user, id, reply).isIn("rate_limited", "unavailable");
                        if (current.gone.await(BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
                            reconnect();
                        }
                    }
                    default -> reconnect(); // the socket died or never answered: try again elsewhere
                }
            }
        }

        /** Leaves the current socket and resumes on the next node that answers. */
        private void reconnect() {
            long since = retire(connection);
            int start = node;
            for (int step = 1; step <= NODES; step++) {
                int next = (start + step) % NODES;
                try {
                    connection = open(next, since);
                    node = next;
                    reconnects.incrementAndGet();
                    return;
                } catch (CompletionException unreachable) {
                    // a dead node refuses the connection: try the next one
                }
            }
            throw new AssertionError(user + " found no node to reconnect to");
        }

        private Connection open(int index, long since) {
            Connection opened = new Connection(this);
            opened.socket = client.resume(nodes.get(index).port(), token, since, opened).join();
            return opened;
        }

        /** Stops taking messages from {@code old}; the next session replays whatever came after. */
        private synchronized long retire(Connection old) {
            old.retired = true;
            old.socket.abort();
            return lastSeq;
        }

        private synchronized void receive(Connection from, JsonNode msg) {
            if (from.retired) {
                return;
            }
            received.add(msg);
            lastSeq = msg.get("seq").asLong();
        }
    }

    /** One WebSocket session of a {@link Chatter}: messages go to the chatter, answers to whoever asked. */
    private static final class Connection implements WebSocket.Listener {
        final CountDownLatch gone = new CountDownLatch(1);
        private final Chatter chatter;
        private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;
        volatile boolean retired;

        Connection(Chatter chatter) {
            this.chatter = chatter;
        }

        /** Sends {@code frame} and returns its answer, or {@link #GONE} when the socket dies or stays silent. */
        JsonNode ask(String frame, String ref) throws InterruptedException {
            try {
                socket.sendText(frame, true).join();
            } catch (CompletionException closed) {
                return GONE;
            }
            long deadline = System.nanoTime() + REPLY_PATIENCE.toNanos();
            while (true) {
                JsonNode answer = answers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (answer == null || answer == GONE) {
                    return GONE;
                }
                if (answer.path("ref").asText().equals(ref)) {
                    return answer;
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode frame;
                try {
                    frame = NodeClient.JSON.readTree(partial.toString());
                } catch (Exception e) {
                    throw new IllegalStateException("not a JSON frame: " + partial, e);
                }
                partial.setLength(0);
                switch (frame.get("type").asText()) {
                    case "msg" -> chatter.receive(this, frame);
                    case "sent", "error" -> answers.add(frame);
                    default -> {
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            died();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            died();
        }

        private void died() {
            answers.add(GONE);
            gone.countDown();
        }
    }
}
