package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static dev.pigeon.ops.cluster.RegionNodes.EU;
import static dev.pigeon.ops.cluster.RegionNodes.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A planned move of a user's home under load: alice (eu), bob (us) and carol (eu) keep sending to
 * their group and to each other while alice is moved to us. Her sends pause (answered
 * {@code unavailable}, retried with the same id) and resume; afterwards every inbox, read in either
 * region, holds each acked message exactly once, at contiguous {@code seq}, each conversation in
 * {@code conv_seq} order, and a new session of alice's says home us at epoch 2.
 */
class RegionRehomeIT {
    @RegisterExtension
    static final RegionNodes regions = new RegionNodes("region-rehome-it", 1);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int SENDS_EACH = 30;
    private static final int MOVE_AFTER = 10;

    @Test
    void aUserMovedUnderLoadLosesAndRepeatsNothing() throws Exception {
        NodeClient client = regions.client;
        int eu = regions.node(EU, 0).port();
        int us = regions.node(US, 0).port();
        for (String[] user : new String[][]{{"alice", "eu"}, {"bob", "us"}, {"carol", "eu"}}) {
            assertThat(regions.connect(user[1].equals(EU) ? eu : us, user[0]).hello().get("home_region").asText())
                    .isEqualTo(user[1]);
        }
        HttpResponse<String> created = client.post(eu, "/v1/groups", client.token("carol"),
                Map.of("group", "trio", "members", List.of("alice", "bob", "carol")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        RetryingSender sender = new RetryingSender(client, PATIENCE);
        List<AckedSend> acked = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch aliceUnderWay = new CountDownLatch(MOVE_AFTER);
        ExecutorService senders = Executors.newFixedThreadPool(3);
        List<CompletableFuture<Void>> load = new ArrayList<>();
        load.add(load(senders, () -> {
            for (int i = 0; i < SENDS_EACH; i++) {
                acked.add(sender.send(() -> eu, "alice", i % 2 == 0 ? "g:trio" : "bob", "a" + i, "alice " + i));
                aliceUnderWay.countDown();
            }
        }));
        load.add(load(senders, () -> {
            for (int i = 0; i < SENDS_EACH; i++) {
                acked.add(sender.send(() -> us, "bob", i % 2 == 0 ? "g:trio" : "alice", "b" + i, "bob " + i));
            }
        }));
        load.add(load(senders, () -> {
            IntSupplier port = () -> eu;
            for (int i = 0; i < SENDS_EACH; i++) {
                acked.add(sender.send(port, "carol", "g:trio", "c" + i, "carol " + i));
            }
        }));

        assertThat(aliceUnderWay.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> moved = client.post(regions.node(US, 0).adminPort(), "/admin/users/alice/home",
                client.adminToken(), Map.of("region", US));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        JsonNode move = NodeClient.JSON.readTree(moved.body());
        assertThat(move.get("from_region").asText()).isEqualTo(EU);
        assertThat(move.get("to_region").asText()).isEqualTo(US);
        assertThat(move.get("epoch").asLong()).isEqualTo(2);

        CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS);
        senders.shutdown();
        assertThat(acked).hasSize(3 * SENDS_EACH);

        JsonNode hello = regions.connect(eu, "alice").hello();
        assertThat(hello.get("home_region").asText()).isEqualTo(US);
        assertThat(hello.get("epoch").asLong()).isEqualTo(2);

        for (String user : List.of("alice", "bob", "carol")) {
            List<AckedSend> theirs = acked.stream().filter(send -> send.conversation().equals("g:trio")
                    || (!user.equals("carol") && send.conversation().equals("dm:alice:bob"))).toList();
            for (int port : List.of(eu, us)) {
                await(user + "'s inbox read through " + port).atMost(PATIENCE).untilAsserted(() -> {
                    List<JsonNode> inbox = client.inbox(port, user);
                    Timelines.assertInboxHoldsEachOnce(user, inbox, theirs);
                    Timelines.assertConversationOrder(user, inbox);
                });
            }
        }
    }

    private static CompletableFuture<Void> load(ExecutorService executor, Runnable sends) {
        return CompletableFuture.runAsync(sends, executor);
    }
}
