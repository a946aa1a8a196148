package dev.pigeon.gateway.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pigeon.gateway.link.LinkMessages.AckRequest;
import dev.pigeon.gateway.link.LinkMessages.DeliverRequest;
import dev.pigeon.gateway.link.LinkMessages.ForgetHomeRequest;
import dev.pigeon.gateway.link.LinkMessages.PlaceRequest;
import dev.pigeon.gateway.link.LinkMessages.SendRequest;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolJson;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.DeliveryCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The link's bodies on the wire: PROTOCOL.md frames and entries inside, snake_case, nulls left out. */
class LinkMessagesTest {

    @Test
    void aSendCarriesTheSendFrameWithoutItsAbsentFields() {
        assertThat(json(new SendRequest("alice", new Frame.Send(null, "m-1", "g:team", null, "hi", null))))
                .isEqualTo("{\"sender\":\"alice\",\"send\":{\"type\":\"send\",\"id\":\"m-1\",\"conversation\":\"g:team\","
                        + "\"body\":\"hi\"}}");
    }

    @Test
    void entriesHaveTheirHistoryShapeWithoutSeq() {
        assertThat(json(new PlaceRequest("g:team", List.of(
                new LogEntry("g:team", 5, "alice", "m-5", "hi", null, 17),
                new LogEntry("g:team", 6, "bob", "m-6", "https://x/y.png", "image/png", 18)))))
                .isEqualTo("{\"conversation\":\"g:team\",\"entries\":["
                        + "{\"conversation\":\"g:team\",\"conv_seq\":5,\"from\":\"alice\",\"id\":\"m-5\",\"body\":\"hi\","
                        + "\"ts\":17},"
                        + "{\"conversation\":\"g:team\",\"conv_seq\":6,\"from\":\"bob\",\"id\":\"m-6\","
                        + "\"body\":\"https://x/y.png\",\"format\":\"image/png\",\"ts\":18}]}");
    }

    @Test
    void deliveriesHaveTheirNodeBusShape() {
        assertThat(json(new DeliverRequest(List.of(DeliveryCodec.toJson(new Delivery.Disconnect("bob", null))))))
                .isEqualTo("{\"deliveries\":[{\"user\":\"bob\",\"kind\":\"disconnect\"}]}");
    }

    @Test
    void offsetsAndHomesAreFlat() {
        assertThat(json(new AckRequest("alice", "phone", 42L)))
                .isEqualTo("{\"user\":\"alice\",\"device\":\"phone\",\"up_to\":42}");
        assertThat(json(new ForgetHomeRequest("CONVERSATION", "dm:alice:bob")))
                .isEqualTo("{\"kind\":\"CONVERSATION\",\"id\":\"dm:alice:bob\"}");
    }

    private static String json(Object body) {
        try {
            return ProtocolJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
