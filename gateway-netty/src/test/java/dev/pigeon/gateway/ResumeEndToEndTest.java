package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Resuming over real sockets: no gap and no repeat, whatever arrives while a session catches up. */
class ResumeEndToEndTest {

    @Test
    void messagesSentDuringTheReplayArriveOnceAndInOrder() throws Exception {
        try (TestNode node = TestNode.start()) {
            int before = 250;
            int during = 60;
            for (int i = 1; i <= before; i++) {
                node.sendMessage("alice", "bob", "b" + i, "before " + i);
            }
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= during; i++) {
                    node.sendMessage("carol", "bob", "d" + i, "during " + i);
                }
            });
            try (WsClient bob = WsClient.connect(node, node.token("bob"), "?since=0")) {
                bob.next("hello");
                List<Long> seqs = new ArrayList<>();
                while (seqs.size() < before + during) {
                    seqs.add(bob.next("msg").path("seq").asLong());
                }
                sender.get(30, TimeUnit.SECONDS);
                assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, before + during).boxed().toList());
                bob.send("{\"type\":\"ping\",\"ref\":\"end\"}");
                assertThat(bob.next("pong").path("ref").asText()).as("nothing after the last entry").isEqualTo("end");
            }
        }
    }

    @Test
    void aSlowConsumerIsClosedAndResumesWithoutAGap() throws Exception {
        try (TestNode node = TestNode.start(b -> b.outboundQueueLimit(8)
                .writeBufferLowWater(1024).writeBufferHighWater(2048))) {
            Counter slowConsumers = node.registry.counter("pigeon.gateway.slow.consumer.disconnects", "transport", "ws");
            List<Long> seqs = new ArrayList<>();
            String body = "y".repeat(16 * 1024);
            try (WsClient bob = WsClient.connectPaused(node, node.token("bob"), "")) {
                bob.next("hello");
                int sent = 0;
                while (slowConsumers.count() == 0 && sent < 3000) {
                    sent++;
                    node.sendMessage("alice", "bob", "m" + sent, body);
                }
                assertThat(slowConsumers.count()).isEqualTo(1);
                bob.resume();
                JsonNode frame;
                while ((frame = nextOrNull(bob)) != null) {
                    seqs.add(frame.path("seq").asLong());
                }
                assertThat(bob.closeCode).succeedsWithin(Duration.ofSeconds(10));
            }
            long head = TestNode.json(node.get("/v1/sync?limit=1", node.token("bob")).body()).path("head").asLong();
            assertThat(seqs).as("what arrived before the close is a prefix of the inbox")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            try (WsClient again = WsClient.connect(node, node.token("bob"), "?since=" + seqs.size())) {
                assertThat(again.next("hello").path("head").asLong()).isEqualTo(head);
                while (seqs.size() < head) {
                    seqs.add(again.next("msg").path("seq").asLong());
                }
            }
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
        }
    }

    /** The next frame, or null once the socket closed and nothing more is buffered. */
    private static JsonNode nextOrNull(WsClient client) throws InterruptedException {
        while (true) {
            String text = client.texts.poll(100, TimeUnit.MILLISECONDS);
            if (text != null) {
                JsonNode frame = TestNode.json(text);
                assertThat(frame.path("type").asText()).isEqualTo("msg");
                return frame;
            }
            if (client.closeCode.isDone()) {
                return client.texts.isEmpty() ? null : TestNode.json(client.texts.poll());
            }
        }
    }
}
