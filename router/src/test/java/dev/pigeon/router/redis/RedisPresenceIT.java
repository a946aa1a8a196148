package dev.pigeon.router.redis;

import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisPresenceIT {
    private static final String PREFIX = TestRedis.prefix(RedisPresenceIT.class);
    /** Short, so liveness changes show within a second or two. */
    private static final Duration HEARTBEAT = Duration.ofMillis(600);
    /** How late Awaitility may notice that its condition holds. */
    private static final Duration POLLING_SLACK = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static RedissonClient redisA;
    private static RedissonClient redisB;

    private final List<RedisPresence> presences = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void connect() {
        redisA = TestRedis.client();
        redisB = TestRedis.client();
    }

    @AfterAll
    static void disconnect() {
        TestRedis.deleteEverything(redisA, PREFIX);
        redisA.shutdown();
        redisB.shutdown();
    }

    @AfterEach
    void closePresences() {
        presences.forEach(RedisPresence::close);
        TestRedis.deleteEverything(redisA, PREFIX);
    }

    @Test
    void registeredSessionsAreFoundUntilUnregistered() {
        RedisPresence presence = presence(redisA, "node-a");
        SessionInfo phone = session("alice", "s1", "node-a", "ws");
        SessionInfo laptop = session("alice", "s2", "node-a", "sse");
        SessionInfo bob = session("bob", "s3", "node-a", "poll");
        join(presence.register(phone));
        join(presence.register(laptop));
        join(presence.register(bob));

        Map<String, List<SessionInfo>> found = join(presence.sessions(List.of("alice", "bob", "carol", "alice")));

        assertThat(found).containsOnlyKeys("alice", "bob", "carol");
        assertThat(found.get("alice")).containsExactlyInAnyOrder(phone, laptop);
        assertThat(found.get("bob")).containsExactly(bob);
        assertThat(found.get("carol")).isEmpty();

        join(presence.unregister(phone));

        assertThat(join(presence.sessions(List.of("alice"))).get("alice")).containsExactly(laptop);
    }

    @Test
    void aSessionOfAnotherNodeIsRefused() {
        RedisPresence presence = presence(redisA, "node-a");

        Throwable failure = failureOf(presence.register(session("alice", "s1", "node-b", "ws")));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node-b");
        assertThat(join(presence.sessions(List.of("alice"))).get("alice")).isEmpty();
    }

    @Test
    void oneLookupAnswersForFiveHundredUsers() {
        RedisPresence presence = presence(redisA, "node-a");
        List<String> users = IntStream.range(0, 500).mapToObj(i -> "user-" + i).toList();
        join(presence.refresh(users.stream().map(user -> session(user, "s-" + user, "node-a", "ws")).toList()));

        List<String> wanted = new ArrayList<>(users);
        wanted.add("nobody");
        Map<String, List<SessionInfo>> found = join(presence.sessions(wanted));

        assertThat(found).hasSize(501);
        assertThat(found.get("nobody")).isEmpty();
        for (String user : users) {
            assertThat(found.get(user)).extracting(SessionInfo::session).containsExactly("s-" + user);
        }
    }

    @Test
    void refreshedEntriesLiveAndUnrefreshedOnesExpire() {
        Duration ttl = Duration.ofMillis(1000);
        RedisPresence presence = presence(RedisPresence.builder(redisA).sessionTtl(ttl), "node-a");
        SessionInfo alice = session("alice", "s1", "node-a", "ws");
        join(presence.register(alice));
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor();
        try {
            refresher.scheduleAtFixedRate(() -> presence.refresh(List.of(alice)), 200, 200, TimeUnit.MILLISECONDS);

            await().during(ttl.multipliedBy(3)).atMost(ttl.multipliedBy(4))
                    .until(() -> join(presence.sessions(List.of("alice"))).get("alice").size() == 1);
        } finally {
            refresher.shutdownNow();
        }

        await().atMost(PATIENCE).until(() -> join(presence.sessions(List.of("alice"))).get("alice").isEmpty());
        await().atMost(PATIENCE).until(() -> !redisA.getMap(RedisKeys.of(PREFIX).presence("alice")).isExists());
    }

    @Test
    void aNodeThatStopsBeatingDropsOutWithinTwoHeartbeatsAndItsEntriesAreDeleted() {
        RedissonClient doomed = TestRedis.client();
        RedisPresence observer = presence(redisA, "node-a");
        RedisPresence dying = presence(doomed, "node-b");
        SessionInfo onDying = session("alice", "s1", "node-b", "ws");
        SessionInfo onObserver = session("alice", "s2", "node-a", "ws");
        join(dying.register(onDying));
        join(observer.register(onObserver));
        assertThat(join(observer.sessions(List.of("alice"))).get("alice")).containsExactlyInAnyOrder(onDying, onObserver);

        doomed.shutdown(); // the node dies: no more beats, no goodbye

        // its last beat was before the shutdown; the entry itself would live for 60 s
        await().atMost(HEARTBEAT.multipliedBy(2).plus(POLLING_SLACK)).pollInterval(Duration.ofMillis(50))
                .until(() -> join(observer.sessions(List.of("alice"))).get("alice").equals(List.of(onObserver)));
        RMap<String, String> hash = redisA.getMap(RedisKeys.of(PREFIX).presence("alice"), StringCodec.INSTANCE);
        await().atMost(PATIENCE).until(() -> hash.readAllKeySet().equals(Set.of("s2")));
        assertThat(meters.get("pigeon.presence.stale").tag("reason", "node_gone").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aNodeThatLeavesDropsOutAtOnce() {
        RedisPresence observer = presence(redisA, "node-a");
        RedisPresence leaving = presence(redisB, "node-b");
        join(leaving.register(session("alice", "s1", "node-b", "ws")));
        assertThat(join(observer.sessions(List.of("alice"))).get("alice")).hasSize(1);

        join(leaving.closeAsync());

        await().atMost(PATIENCE).until(() -> join(observer.sessions(List.of("alice"))).get("alice").isEmpty());
        assertThat(redisA.getBucket(RedisKeys.of(PREFIX).node("node-b")).isExists()).isFalse();
    }

    @Test
    void closingLetsTheSessionsStillUnregisteringFinishFirst() {
        RedisPresence observer = presence(redisA, "node-a");
        RedisPresence leaving = presence(redisB, "node-b");
        List<SessionInfo> sessions = IntStream.range(0, 50)
                .mapToObj(i -> session("user-" + i, "s" + i, "node-b", "ws")).toList();
        sessions.forEach(session -> join(leaving.register(session)));

        List<CompletionStage<Void>> removals = sessions.stream().map(leaving::unregister).toList();
        join(leaving.closeAsync());

        assertThat(removals).allMatch(removal -> removal.toCompletableFuture().isDone());
        for (SessionInfo session : sessions) {
            assertThat(redisA.getMap(RedisKeys.of(PREFIX).presence(session.user())).isExists())
                    .as("%s's entry", session.user()).isFalse();
        }
        assertThat(join(observer.sessions(List.of("user-0"))).get("user-0")).isEmpty();
    }

    @Test
    void aNodeWritesItsSessionsBackWhenRedisForgotThem() {
        RedisPresence presence = presence(redisA, "node-a");
        SessionInfo alice = session("alice", "s1", "node-a", "ws");
        join(presence.register(alice));

        TestRedis.deleteEverything(redisA, PREFIX); // as a restart without persistence would

        await().atMost(PATIENCE).until(() -> join(presence.sessions(List.of("alice"))).get("alice").equals(List.of(alice)));
        assertThat(meters.get("pigeon.presence.rewrites").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void statsCountEveryLiveNodeAndAUserOnTwoNodesOnce() {
        RedisPresence nodeA = presence(redisA, "node-a");
        RedisPresence nodeB = presence(redisB, "node-b");
        join(nodeA.register(session("alice", "a1", "node-a", "ws")));
        join(nodeA.register(session("bob", "a2", "node-a", "sse")));
        join(nodeB.register(session("alice", "b1", "node-b", "poll")));
        join(nodeB.register(new SessionInfo("b2", "carol", "node-b", "eu", "ws", "d", 1, 1)));

        PresenceStats expected = new PresenceStats(3, 4, Map.of("local", 3L, "eu", 1L),
                Map.of("node-a", 2L, "node-b", 2L), Map.of("ws", 2L, "sse", 1L, "poll", 1L));
        // both nodes see the whole cluster, each node's share as of its last beat
        await().atMost(PATIENCE).until(() -> join(nodeA.stats()).equals(expected));
        assertThat(join(nodeB.stats())).isEqualTo(expected);

        join(nodeB.closeAsync());

        PresenceStats onlyA = new PresenceStats(2, 2, Map.of("local", 2L), Map.of("node-a", 2L),
                Map.of("ws", 1L, "sse", 1L));
        await().atMost(PATIENCE).until(() -> join(nodeA.stats()).equals(onlyA));
    }

    @Test
    void aMalformedEntryIsSkippedAndCounted() {
        RedisPresence presence = presence(redisA, "node-a");
        SessionInfo alice = session("alice", "s1", "node-a", "ws");
        join(presence.register(alice));
        RMap<String, String> hash = redisA.getMap(RedisKeys.of(PREFIX).presence("alice"), StringCodec.INSTANCE);
        hash.put("garbage", "{not json");
        hash.put("mistyped", "{\"node\":\"node-a\",\"region\":\"local\",\"transport\":\"ws\",\"device\":\"d\","
                + "\"connected_at\":\"soon\",\"last_seen\":1,\"written_at\":1}");

        assertThat(join(presence.sessions(List.of("alice"))).get("alice")).containsExactly(alice);
        assertThat(meters.get("pigeon.presence.malformed").counter().count()).isEqualTo(2);
    }

    private RedisPresence presence(RedissonClient redis, String node) {
        return presence(RedisPresence.builder(redis), node);
    }

    private RedisPresence presence(RedisPresence.Builder builder, String node) {
        RedisPresence presence = builder.prefix(PREFIX).nodeId(node).heartbeat(HEARTBEAT).meterRegistry(meters).build();
        presences.add(presence);
        return presence;
    }

    static SessionInfo session(String user, String session, String node, String transport) {
        long now = System.currentTimeMillis();
        return new SessionInfo(session, user, node, "local", transport, "device-" + session, now, now);
    }

    static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    static Throwable failureOf(CompletionStage<?> stage) {
        Throwable failure = join(stage.handle((value, thrown) -> thrown));
        assertThat(failure).as("failure of the stage").isNotNull();
        return RedisCalls.unwrap(failure);
    }
}
