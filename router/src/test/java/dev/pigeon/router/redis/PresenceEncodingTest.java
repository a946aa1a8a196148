package dev.pigeon.router.redis;

import dev.pigeon.router.SessionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The values presence keeps in Redis: session entries and node counts. */
class PresenceEncodingTest {
    private static final SessionInfo SESSION = new SessionInfo("s1", "alice", "node-a", "eu", "ws", "phone", 100, 150);

    @Test
    void aSessionEntrySurvivesTheRoundTripWithoutRepeatingItsKeyAndField() {
        StoredSession stored = new StoredSession(SESSION, 200);

        String encoded = stored.encode();

        assertThat(encoded).isEqualTo("{\"node\":\"node-a\",\"region\":\"eu\",\"transport\":\"ws\",\"device\":\"phone\","
                + "\"connected_at\":100,\"last_seen\":150,\"written_at\":200}");
        assertThat(StoredSession.decode("alice", "s1", encoded)).isEqualTo(stored);
    }

    @Test
    void anEntryIsFreshForTheTtlAfterItWasWritten() {
        StoredSession stored = new StoredSession(SESSION, 1_000);

        assertThat(stored.freshAt(1_999, 1_000)).isTrue();
        assertThat(stored.freshAt(2_000, 1_000)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{",
            "[]",
            "{\"node\":\"n\",\"region\":\"r\",\"transport\":\"ws\",\"device\":\"d\",\"connected_at\":1,\"last_seen\":1}",
            "{\"node\":1,\"region\":\"r\",\"transport\":\"ws\",\"device\":\"d\",\"connected_at\":1,\"last_seen\":1,\"written_at\":1}",
            "{\"node\":\"n\",\"region\":\"r\",\"transport\":\"ws\",\"device\":\"d\",\"connected_at\":\"1\",\"last_seen\":1,\"written_at\":1}"
    })
    void aMalformedSessionEntryIsRefused(String json) {
        assertThatThrownBy(() -> StoredSession.decode("alice", "s1", json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeCountsCountSessionsByRegionAndTransportAndSurviveTheRoundTrip() {
        NodeCounts counts = NodeCounts.of(List.of(SESSION,
                new SessionInfo("s2", "alice", "node-a", "eu", "sse", "laptop", 1, 1),
                new SessionInfo("s3", "bob", "node-a", "us", "ws", "phone", 1, 1)));

        assertThat(counts).isEqualTo(new NodeCounts(3, Map.of("eu", 2L, "us", 1L), Map.of("ws", 2L, "sse", 1L)));
        assertThat(NodeCounts.decode(counts.encode())).isEqualTo(counts);
        assertThat(NodeCounts.decode(NodeCounts.of(List.of()).encode())).isEqualTo(new NodeCounts(0, Map.of(), Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "{\"sessions\":1}",
            "{\"sessions\":1,\"by_region\":[],\"by_transport\":{}}",
            "{\"sessions\":1,\"by_region\":{\"eu\":\"1\"},\"by_transport\":{}}"
    })
    void malformedNodeCountsAreRefused(String json) {
        assertThatThrownBy(() -> NodeCounts.decode(json)).isInstanceOf(IllegalArgumentException.class);
    }
}
