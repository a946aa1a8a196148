package dev.pigeon.storage.embedded;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StoredHome;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {

    @Test
    void logEntriesRoundTripWithAndWithoutFormat() {
        LogEntry text = new LogEntry("dm:a:b", 42, "a", "id-1", "hi 👋", null, 1_700_000_000_000L);
        LogEntry media = new LogEntry("g:x", Long.MAX_VALUE, "b", "id-2", "https://x", "image/png", -1);

        assertThat(Values.entry(Values.entry(text))).isEqualTo(text);
        assertThat(Values.entry(Values.entry(media))).isEqualTo(media);
    }

    @Test
    void anEntryIsStoredCompactly() {
        LogEntry entry = new LogEntry("dm:alice:bob", 1234, "alice", "c-1", "hello", null, 1_700_000_000_000L);

        assertThat(Values.entry(entry)).hasSizeLessThan(48);
    }

    @Test
    void claimsAndGroupsRoundTrip() {
        SendClaim claim = new SendClaim("alice", "c1", "g:x", "sha256:abc");
        Group group = Group.of("x", List.of("bob", "alice"));

        assertThat(Values.claim("alice", "c1", Values.claim(claim))).isEqualTo(claim);
        assertThat(Values.group("x", Values.members(group))).isEqualTo(group);
    }

    @Test
    void homesRoundTripMovingOrNotAndHomesStoredBeforeMovesCouldBeMarkedStillRead() {
        StoredHome settled = new StoredHome("eu", 3);
        StoredHome moving = new StoredHome("eu", 3, "us");
        byte[] beforeMarks = new ValueWriter(1, 8).text("eu").unsigned(3).bytes();

        assertThat(Values.home(Values.home(settled))).isEqualTo(settled);
        assertThat(Values.home(Values.home(moving))).isEqualTo(moving);
        assertThat(Values.home(beforeMarks)).isEqualTo(settled);
    }

    @Test
    void homeKeysRoundTrip() {
        HomeKey key = new HomeKey(HomeStore.Kind.CONVERSATION, "g:x");

        assertThat(Values.homeKey(Values.homeKey(key))).isEqualTo(key);
    }

    @Test
    void anUnknownVersionOrATruncatedValueIsReportedAsCorrupt() {
        byte[] value = Values.entry(new LogEntry("g:x", 1, "a", "i", "body", null, 1));
        byte[] otherVersion = value.clone();
        otherVersion[0] = 9;

        assertThatThrownBy(() -> Values.entry(otherVersion)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> Values.entry(Arrays.copyOf(value, value.length - 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Values.entry(new byte[0])).isInstanceOf(IllegalStateException.class);
    }
}
