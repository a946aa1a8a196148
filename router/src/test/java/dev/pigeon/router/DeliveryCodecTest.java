package dev.pigeon.router;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.InboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryCodecTest {

    @Test
    void everyVariantSurvivesTheRoundTrip() {
        List<Delivery> deliveries = List.of(
                new Delivery.Message("bob", new InboxEntry(7, new LogEntry("dm:alice:bob", 3, "alice", "m-1",
                        "h\u00e9llo \u4e2d \"x\"\n\u0000", null, 1_700_000_000_000L))),
                new Delivery.Message("bob", new InboxEntry(Long.MAX_VALUE, new LogEntry("g:team", 1, "alice", "m-2",
                        "**b**", "markdown", 0))),
                new Delivery.Receipt("alice", new Frame.Receipt("g:team", "bob", 12)),
                new Delivery.Disconnect("bob", "operator"),
                new Delivery.Disconnect("bob", null));

        for (Delivery delivery : deliveries) {
            assertThat(DeliveryCodec.decode(DeliveryCodec.encode(delivery))).isEqualTo(delivery);
        }
    }

    @Test
    void theTreeFormIsTheTextForm() {
        Delivery receipt = new Delivery.Receipt("alice", new Frame.Receipt("g:team", "bob", 12));

        assertThat(DeliveryCodec.toJson(receipt).toString()).isEqualTo(DeliveryCodec.encode(receipt));
        assertThat(DeliveryCodec.fromJson(DeliveryCodec.toJson(receipt))).isEqualTo(receipt);
    }

    @Test
    void aCatchUpNeverTravels() {
        assertThatThrownBy(() -> DeliveryCodec.encode(new Delivery.CatchUp("bob")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageTravelsAsItsInboxPositionAndTheProtocolsLogEntry() {
        Delivery message = new Delivery.Message("bob", new InboxEntry(7, new LogEntry("dm:alice:bob", 3, "alice", "m-1",
                "hi", null, 1_700_000_000_000L)));

        assertThat(DeliveryCodec.encode(message)).isEqualTo("{\"user\":\"bob\",\"kind\":\"message\",\"seq\":7,\"entry\":"
                + "{\"conversation\":\"dm:alice:bob\",\"conv_seq\":3,\"from\":\"alice\",\"id\":\"m-1\",\"body\":\"hi\","
                + "\"ts\":1700000000000}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "null",
            "[]",
            "{}",
            "{\"user\":\"bob\"}",
            "{\"user\":7,\"kind\":\"disconnect\"}",
            "{\"user\":\"bob\",\"kind\":\"teleport\"}",
            "{\"user\":\"bob\",\"kind\":\"message\",\"seq\":1.5,\"entry\":{}}",
            "{\"user\":\"bob\",\"kind\":\"message\",\"seq\":99999999999999999999,\"entry\":{}}",
            "{\"user\":\"bob\",\"kind\":\"message\",\"seq\":1}",
            "{\"user\":\"bob\",\"kind\":\"message\",\"seq\":1,\"entry\":[]}",
            "{\"user\":\"bob\",\"kind\":\"message\",\"seq\":1,\"entry\":{\"conversation\":\"c\"}}",
            "{\"user\":\"bob\",\"kind\":\"receipt\",\"receipt\":{\"type\":\"msg\",\"seq\":1}}",
            "{\"user\":\"bob\",\"kind\":\"receipt\",\"receipt\":{\"type\":\"receipt\",\"conversation\":1}}",
            "{\"user\":\"bob\",\"kind\":\"disconnect\",\"reason\":5}",
            "{\"user\":\"bob\",\"user\":\"eve\",\"kind\":\"disconnect\"}",
            "{\"user\":\"bob\",\"kind\":\"disconnect\"} trailing"
    })
    void anythingElseIsRefusedAsMalformed(String payload) {
        assertThatThrownBy(() -> DeliveryCodec.decode(payload)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        String deep = "{\"user\":\"bob\",\"kind\":\"disconnect\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> DeliveryCodec.decode(deep)).isInstanceOf(IllegalArgumentException.class);
    }
}
