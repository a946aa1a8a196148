package dev.pigeon.router;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.pigeon.router.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

class LocalPresenceTest {
    private final MutableClock clock = new MutableClock(1_000_000);
    private final LocalPresence presence = LocalPresence.create(clock, Duration.ofSeconds(60));

    @Test
    void sessionsOfManyUsersInOneLookup() {
        SessionInfo a1 = session("a1", "alice", "n1", "ws");
        SessionInfo a2 = session("a2", "alice", "n2", "sse");
        SessionInfo b1 = session("b1", "bob", "n1", "poll");
        List.of(a1, a2, b1).forEach(presence::register);

        Map<String, List<SessionInfo>> sessions = await(presence.sessions(List.of("alice", "bob", "carol")));

        assertThat(sessions.get("alice")).containsExactlyInAnyOrder(a1, a2);
        assertThat(sessions.get("bob")).containsExactly(b1);
        assertThat(sessions.get("carol")).isEmpty();
    }

    @Test
    void entryExpiresUnlessRefreshedWithinTheTtl() {
        SessionInfo kept = session("k", "alice", "n1", "ws");
        SessionInfo dropped = session("d", "alice", "n2", "ws");
        presence.register(kept);
        presence.register(dropped);

        clock.advance(Duration.ofSeconds(59));
        presence.refresh(List.of(kept.seenAt(clock.millis())));
        clock.advance(Duration.ofSeconds(2));

        assertThat(await(presence.sessions(List.of("alice"))).get("alice"))
                .containsExactly(kept.seenAt(clock.millis() - 2_000));
        clock.advance(Duration.ofSeconds(60));
        assertThat(await(presence.sessions(List.of("alice"))).get("alice")).isEmpty();
        assertThat(await(presence.stats()).sessions()).isZero();
    }

    @Test
    void unregisteredSessionIsGoneAtOnce() {
        SessionInfo session = session("s", "alice", "n1", "ws");
        presence.register(session);
        presence.unregister(session);
        presence.unregister(session);

        assertThat(await(presence.sessions(List.of("alice"))).get("alice")).isEmpty();
    }

    @Test
    void statsCountLiveSessionsByRegionNodeAndTransport() {
        presence.register(session("a1", "alice", "n1", "ws"));
        presence.register(session("a2", "alice", "n2", "sse"));
        presence.register(session("b1", "bob", "n1", "ws"));
        SessionInfo expiring = session("c1", "carol", "n3", "poll");
        presence.register(expiring);
        clock.advance(Duration.ofSeconds(30));
        presence.refresh(List.of(session("a1", "alice", "n1", "ws"), session("a2", "alice", "n2", "sse"),
                session("b1", "bob", "n1", "ws")));
        clock.advance(Duration.ofSeconds(31));

        PresenceStats stats = await(presence.stats());

        assertThat(stats.onlineUsers()).isEqualTo(2);
        assertThat(stats.sessions()).isEqualTo(3);
        assertThat(stats.byRegion()).isEqualTo(Map.of("eu", 3L));
        assertThat(stats.byNode()).isEqualTo(Map.of("n1", 2L, "n2", 1L));
        assertThat(stats.byTransport()).isEqualTo(Map.of("ws", 2L, "sse", 1L));
    }

    @Test
    void expiredEntriesAreSweptFromMemory() {
        presence.register(session("gone", "ghost", "n1", "ws"));
        clock.advance(Duration.ofSeconds(120));

        presence.register(session("s", "alice", "n1", "ws"));

        assertThat(presence.trackedEntries()).isEqualTo(1);
    }

    private SessionInfo session(String id, String user, String node, String transport) {
        return new SessionInfo(id, user, node, "eu", transport, "d-" + id, 1_000_000, 1_000_000);
    }
}
