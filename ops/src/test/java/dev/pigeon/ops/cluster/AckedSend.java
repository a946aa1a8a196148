package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send the server acknowledged, as its {@code sent} frame placed it: {@code seq} is the sender's
 * inbox position of it.
 */
record AckedSend(String from, String id, String conversation, String body, long convSeq, long seq) {

    /** Reads a {@code sent} frame answering {@code from}'s send of {@code body}. */
    static AckedSend of(String from, String body, JsonNode sent) {
        assertThat(sent.get("type").asText()).as("answer to %s: %s", from, sent).isEqualTo("sent");
        return new AckedSend(from, sent.get("id").asText(), sent.get("conversation").asText(), body,
                sent.get("conv_seq").asLong(), sent.get("seq").asLong());
    }

    /** Sender and client id: what makes a message unique. */
    String key() {
        return key(from, id);
    }

    static String key(String from, String id) {
        return from + "/" + id;
    }

    /** The key of a {@code msg} frame or a log entry. */
    static String keyOf(JsonNode entry) {
        return key(entry.get("from").asText(), entry.get("id").asText());
    }

    /** Checks that {@code entry} (a {@code msg} frame or a log entry) is this message at the position acked. */
    void assertMatches(JsonNode entry, String as) {
        assertThat(keyOf(entry)).as("%s: sender and id", as).isEqualTo(key());
        assertThat(entry.get("conversation").asText()).as("%s: conversation", as).isEqualTo(conversation);
        assertThat(entry.get("body").asText()).as("%s: body", as).isEqualTo(body);
        assertThat(entry.get("conv_seq").asLong()).as("%s: conv_seq", as).isEqualTo(convSeq);
    }
}
