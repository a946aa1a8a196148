package dev.pigeon.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolJson;
import dev.pigeon.storage.InboxEntry;

/**
 * A {@link Delivery} as it travels between nodes (the node bus) and regions (the region link), one
 * JSON object per variant:
 * <pre>
 * {"kind":"message","user":U,"seq":S,"entry":{log entry as in PROTOCOL.md}}
 * {"kind":"receipt","user":U,"receipt":{"type":"receipt",...}}
 * {"kind":"disconnect","user":U,"reason":R}
 * </pre>
 * What another process sent is untrusted: anything else is an {@link IllegalArgumentException}.
 * {@link Delivery.CatchUp} is local to a node and has no form here.
 */
public final class DeliveryCodec {
    private static final ObjectMapper JSON = ProtocolJson.mapper();
    private static final String MESSAGE = "message";
    private static final String RECEIPT = "receipt";
    private static final String DISCONNECT = "disconnect";

    private DeliveryCodec() {
    }

    /** The delivery as JSON text. */
    public static String encode(Delivery delivery) {
        try {
            return JSON.writeValueAsString(toJson(delivery));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a delivery could not be written as JSON", e);
        }
    }

    /** The delivery as a JSON object, to nest in a larger body. */
    public static ObjectNode toJson(Delivery delivery) {
        ObjectNode json = JSON.createObjectNode().put("user", delivery.user());
        if (delivery instanceof Delivery.Message message) {
            json.put("kind", MESSAGE).put("seq", message.entry().seq());
            json.set("entry", JSON.valueToTree(message.entry().entry()));
        } else if (delivery instanceof Delivery.Receipt receipt) {
            json.put("kind", RECEIPT);
            json.set("receipt", JSON.valueToTree(receipt.receipt()));
        } else if (delivery instanceof Delivery.Disconnect disconnect) {
            json.put("kind", DISCONNECT);
            if (disconnect.reason() != null) {
                json.put("reason", disconnect.reason());
            }
        } else {
            throw new IllegalArgumentException("a " + delivery.getClass().getSimpleName() + " does not travel");
        }
        return json;
    }

    /** @throws IllegalArgumentException when {@code payload} is not a delivery */
    public static Delivery decode(String payload) {
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(json);
    }

    /** @throws IllegalArgumentException when {@code json} is not a delivery */
    public static Delivery fromJson(JsonNode json) {
        if (!(json instanceof ObjectNode)) {
            throw new IllegalArgumentException("a delivery must be a JSON object");
        }
        Wire wire;
        try {
            wire = JSON.treeToValue(json, Wire.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + fieldOf(e) + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed delivery: " + e.getMessage(), e);
        }
        String user = required(wire.user(), "user");
        String kind = required(wire.kind(), "kind");
        return switch (kind) {
            case MESSAGE -> new Delivery.Message(user,
                    new InboxEntry(required(wire.seq(), "seq"), required(wire.entry(), "entry")));
            case RECEIPT -> new Delivery.Receipt(user, required(wire.receipt(), "receipt"));
            case DISCONNECT -> new Delivery.Disconnect(user, wire.reason());
            default -> throw new IllegalArgumentException("unknown kind of delivery");
        };
    }

    /** The field a mapping failed in, without the input or the parser's position. */
    private static String fieldOf(JsonProcessingException failure) {
        if (failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && mapping.getPath().get(0).getFieldName() != null) {
            return mapping.getPath().get(0).getFieldName();
        }
        return "delivery";
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** Every field any variant has; the shared mapper refuses values of the wrong JSON type. */
    record Wire(String user, String kind, Long seq, LogEntry entry, Frame.Receipt receipt, String reason) {
    }
}
