package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What every member of a conversation must find: each acked message once, at contiguous positions. */
final class Timelines {

    private Timelines() {
    }

    /**
     * The {@code msg} frames one session of {@code user} received, in arrival order, are exactly
     * {@code sent} in that order at contiguous {@code seq} from {@code firstSeq}: no hole, no repeat,
     * nothing else.
     */
    static void assertReceivedInOrder(String user, List<JsonNode> received, List<AckedSend> sent, long firstSeq) {
        assertThat(received).as("%s's msg frames", user).hasSize(sent.size());
        for (int i = 0; i < received.size(); i++) {
            JsonNode msg = received.get(i);
            AckedSend expected = sent.get(i);
            String as = user + "'s msg frame " + i;
            assertThat(msg.get("seq").asLong()).as("%s: seq", as).isEqualTo(firstSeq + i);
            expected.assertMatches(msg, as);
            if (expected.from().equals(user)) {
                assertThat(msg.get("seq").asLong()).as("%s: the seq its sent frame named", as).isEqualTo(expected.seq());
            }
        }
    }

    /** {@code user}'s whole inbox holds {@code seq} 1 to n, each acked message once as acked, nothing else. */
    static void assertInboxHoldsEachOnce(String user, List<JsonNode> inbox, Collection<AckedSend> acked) {
        Map<String, AckedSend> byKey = byKey(acked);
        assertThat(inbox).as("%s's inbox", user).hasSize(acked.size());
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < inbox.size(); i++) {
            JsonNode entry = inbox.get(i);
            String as = user + "'s inbox entry " + i;
            assertThat(entry.get("seq").asLong()).as("%s: seq", as).isEqualTo(i + 1);
            String key = AckedSend.keyOf(entry);
            assertThat(seen.put(key, entry.get("seq").asLong())).as("%s: %s only once", as, key).isNull();
            AckedSend ack = byKey.get(key);
            assertThat(ack).as("%s: %s was acked", as, key).isNotNull();
            ack.assertMatches(entry, as);
            if (ack.from().equals(user)) {
                assertThat(entry.get("seq").asLong()).as("%s: the seq its sent frame named", as).isEqualTo(ack.seq());
            }
        }
    }

    /** Within {@code user}'s inbox, each conversation's entries come in increasing {@code conv_seq}. */
    static void assertConversationOrder(String user, List<JsonNode> inbox) {
        Map<String, Long> newest = new HashMap<>();
        for (JsonNode entry : inbox) {
            String conversation = entry.get("conversation").asText();
            long convSeq = entry.get("conv_seq").asLong();
            Long before = newest.put(conversation, convSeq);
            assertThat(before == null || before < convSeq)
                    .as("%s's inbox: %s conv_seq %d after %d", user, conversation, convSeq, before).isTrue();
        }
    }

    /** A conversation's whole log, oldest first, holds {@code conv_seq} 1 to n, each acked message once, nothing else. */
    static void assertLogHoldsEachOnce(List<JsonNode> log, Collection<AckedSend> acked) {
        Map<String, AckedSend> byKey = byKey(acked);
        assertThat(log).as("the log").hasSize(acked.size());
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            JsonNode entry = log.get(i);
            String as = "log entry " + i;
            assertThat(entry.get("conv_seq").asLong()).as("%s: conv_seq", as).isEqualTo(i + 1);
            String key = AckedSend.keyOf(entry);
            assertThat(seen.put(key, entry.get("conv_seq").asLong())).as("%s: %s only once", as, key).isNull();
            AckedSend ack = byKey.get(key);
            assertThat(ack).as("%s: %s was acked", as, key).isNotNull();
            ack.assertMatches(entry, as);
        }
    }

    private static Map<String, AckedSend> byKey(Collection<AckedSend> acked) {
        Map<String, AckedSend> byKey = acked.stream().collect(Collectors.toMap(AckedSend::key, Function.identity()));
        assertThat(byKey).as("acked sends, by sender and id").hasSize(acked.size());
        return byKey;
    }
}
