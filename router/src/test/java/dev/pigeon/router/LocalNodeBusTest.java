package dev.pigeon.router;

import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.pigeon.router.RouterFixture.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LocalNodeBusTest {
    private final LocalNodeBus bus = LocalNodeBus.create();

    @AfterEach
    void stop() {
        bus.close();
    }

    @Test
    void subscriberRunsOffThePublishersThreadInPublishOrder() {
        CollectingSink sink = new CollectingSink();
        bus.subscribe("n1", sink::deliver);

        List<Delivery> published = IntStream.range(0, 1_000).mapToObj(LocalNodeBusTest::receipt).toList();
        published.forEach(delivery -> bus.publish("n1", delivery));

        await().atMost(patience()).until(() -> sink.received().size() == published.size());
        assertThat(sink.received()).containsExactlyElementsOf(published);
        assertThat(sink.threads()).doesNotContain(Thread.currentThread());
    }

    @Test
    void deliveriesGoOnlyToTheAddressedNode() {
        CollectingSink n1 = new CollectingSink();
        CollectingSink n2 = new CollectingSink();
        bus.subscribe("n1", n1::deliver);
        bus.subscribe("n2", n2::deliver);

        bus.publish("n2", receipt(1));
        bus.publish("n3", receipt(2));
        bus.publish("n1", receipt(3));

        await().atMost(patience()).until(() -> n1.received().size() == 1 && n2.received().size() == 1);
        assertThat(n1.received()).containsExactly(receipt(3));
        assertThat(n2.received()).containsExactly(receipt(1));
    }

    @Test
    void slowSubscriberDoesNotHoldUpThePublisher() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CollectingSink sink = new CollectingSink();
        bus.subscribe("n1", delivery -> {
            awaitQuietly(release);
            sink.deliver(delivery);
        });

        bus.publish("n1", receipt(1));
        bus.publish("n1", receipt(2));
        release.countDown();

        await().atMost(patience()).until(() -> sink.received().size() == 2);
        assertThat(sink.received()).containsExactly(receipt(1), receipt(2));
    }

    @Test
    void closedSubscriptionReceivesNothingMore() throws Exception {
        CollectingSink gone = new CollectingSink();
        CollectingSink stays = new CollectingSink();
        AutoCloseable subscription = bus.subscribe("n1", gone::deliver);
        bus.subscribe("n1", stays::deliver);

        subscription.close();
        bus.publish("n1", receipt(1));

        await().atMost(patience()).until(() -> stays.received().size() == 1);
        assertThat(gone.received()).isEmpty();
    }

    @Test
    void failingSubscriberKeepsGettingLaterDeliveries() {
        CollectingSink sink = new CollectingSink();
        bus.subscribe("n1", delivery -> {
            sink.deliver(delivery);
            throw new IllegalStateException("broken session code");
        });

        bus.publish("n1", receipt(1));
        bus.publish("n1", receipt(2));

        await().atMost(patience()).until(() -> sink.received().size() == 2);
    }

    private static Delivery receipt(int upTo) {
        return new Delivery.Receipt("alice", new Frame.Receipt("dm:alice:bob", "bob", upTo));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
