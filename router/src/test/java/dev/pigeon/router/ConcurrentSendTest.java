package dev.pigeon.router;

import dev.pigeon.protocol.Frame;
import dev.pigeon.storage.InboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.pigeon.router.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentSendTest {
    private static final int SENDERS = 8;
    private static final int SENDS_EACH = 25;

    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create(RouterLimits.defaults().withSendsPerSecond(10_000));

    @Test
    void concurrentSendersThroughTwoNodesLeaveEveryInboxContiguousAndInConvSeqOrder() {
        ExecutorService threads = Executors.newFixedThreadPool(SENDERS);
        try {
            List<String> members = IntStream.range(0, SENDERS).mapToObj(i -> "u" + i).toList();
            List<Router> nodes = List.of(fixture.router, fixture.router("node-2"));
            await(fixture.router.create("u0", "crowd", members));
            // one member also gets direct messages meanwhile, so its inbox interleaves two conversations
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<List<Frame.Sent>>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                String sender = members.get(s);
                Router node = nodes.get(s % nodes.size());
                senders.add(CompletableFuture.supplyAsync(() -> {
                    awaitLatch(start);
                    List<CompletableFuture<Frame.Sent>> sends = new ArrayList<>();
                    for (int i = 0; i < SENDS_EACH; i++) {
                        sends.add(node.send(sender,
                                new Frame.Send(null, sender + "-" + i, "g:crowd", null, "m" + i, null)).toCompletableFuture());
                        sends.add(node.send(sender,
                                new Frame.Send(null, sender + "-dm-" + i, "dm:" + sender + ":zz", null, "d" + i, null)).toCompletableFuture());
                    }
                    return sends.stream().map(RouterFixture::await).toList();
                }, threads));
            }
            start.countDown();
            List<Frame.Sent> sent = senders.stream().flatMap(f -> await(f).stream()).toList();

            int groupMessages = SENDERS * SENDS_EACH;
            assertThat(sent.stream().filter(s -> s.conversation().equals("g:crowd")).map(Frame.Sent::convSeq)
                    .collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, groupMessages).boxed().toList());
            for (String member : members) {
                List<InboxEntry> inbox = await(fixture.store.readInbox(member, 0, 10_000));
                assertThat(inbox).extracting(InboxEntry::seq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, groupMessages + SENDS_EACH).boxed().toList());
                assertThat(inbox.stream().filter(e -> e.entry().conversation().equals("g:crowd"))
                        .map(e -> e.entry().convSeq()).toList())
                        .as("group entries in the inbox of %s, in seq order", member)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, groupMessages).boxed().toList());
            }
            assertThat(await(fixture.store.inboxHead("zz"))).isEqualTo((long) SENDERS * SENDS_EACH);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
