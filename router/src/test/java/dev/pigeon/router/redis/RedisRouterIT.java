package dev.pigeon.router.redis;

import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.Frame;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.pigeon.router.redis.RedisPresenceIT.join;
import static dev.pigeon.router.redis.RedisPresenceIT.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two routers, each a node with its own Redis client, presence and bus, over one store. */
class RedisRouterIT {
    private static final String PREFIX = TestRedis.prefix(RedisRouterIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private EmbeddedMessageStore store;
    private Node nodeA;
    private Node nodeB;

    @BeforeAll
    static void requireRedis() {
        TestRedis.url();
    }

    @BeforeEach
    void start() {
        store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.builder().syncWrites(false).build());
        nodeA = new Node("node-a", store);
        nodeB = new Node("node-b", store);
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
        TestRedis.deleteEverything(nodeA.redis, PREFIX);
        nodeA.redis.shutdown();
        nodeB.redis.shutdown();
        store.close();
    }

    @Test
    void aSessionOnOneNodeReceivesWhatIsSentThroughTheOther() {
        List<Delivery> alice = new CopyOnWriteArrayList<>();
        List<Delivery> bob = new CopyOnWriteArrayList<>();
        join(nodeA.router.connect(session("alice", "a1", "node-a", "ws"), alice::add));
        join(nodeB.router.connect(session("bob", "b1", "node-b", "sse"), bob::add));
        nodeA.awaitListening();
        nodeB.awaitListening();

        Frame.Sent sent = join(nodeA.router.send("alice", new Frame.Send(null, "m1", "dm:alice:bob", null, "hello", null)));

        await().atMost(PATIENCE).until(() -> bob.size() == 1 && alice.size() == 1);
        Delivery.Message toBob = (Delivery.Message) bob.get(0);
        assertThat(toBob.user()).isEqualTo("bob");
        assertThat(toBob.entry().entry().body()).isEqualTo("hello");
        assertThat(toBob.entry().entry().convSeq()).isEqualTo(sent.convSeq());
        assertThat(((Delivery.Message) alice.get(0)).entry().seq()).isEqualTo(sent.seq());

        join(nodeB.router.read("bob", "dm:alice:bob", sent.convSeq()));
        await().atMost(PATIENCE).until(() -> alice.size() == 2);
        assertThat(alice.get(1)).isEqualTo(new Delivery.Receipt("alice", new Frame.Receipt("dm:alice:bob", "bob", sent.convSeq())));

        join(nodeA.router.disconnect("bob", "operator"));
        await().atMost(PATIENCE).until(() -> bob.size() == 2);
        assertThat(bob.get(1)).isEqualTo(new Delivery.Disconnect("bob", "operator"));
    }

    /** One node of the cluster: its own Redis client, presence, bus and router. */
    private static final class Node implements AutoCloseable {
        final String id;
        final RedissonClient redis = TestRedis.client();
        final RedisPresence presence;
        final RedisNodeBus bus;
        final DefaultRouter router;

        Node(String id, MessageStore store) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            this.id = id;
            this.presence = RedisPresence.builder(redis).prefix(PREFIX).nodeId(id).meterRegistry(meters).build();
            this.bus = RedisNodeBus.create(redis, PREFIX, meters);
            this.router = DefaultRouter.builder().nodeId(id).store(store).homes(new SingleRegionHomeDirectory("local"))
                    .presence(presence).bus(bus).meterRegistry(meters).build();
        }

        /** The router subscribes to its bus channel as it starts; Redis confirms a moment later. */
        void awaitListening() {
            await().atMost(PATIENCE).until(() -> redis.getShardedTopic(RedisKeys.of(PREFIX).bus(id)).countSubscribers() > 0);
        }

        @Override
        public void close() {
            router.close();
            bus.close();
            presence.close();
        }
    }
}
