package dev.pigeon.router.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Delivery;
import dev.pigeon.storage.InboxEntry;

/**
 * A {@link Delivery} as it travels on the node bus, one JSON object per variant:
 * <pre>
 * {"kind":"message","user":U,"seq":S,"entry":{log entry as in PROTOCOL.md}}
 * {"kind":"receipt","user":U,"receipt":{"type":"receipt",...}}
 * {"kind":"disconnect","user":U,"reason":R}
 * </pre>
 */
final class DeliveryCodec {
    private static final String MESSAGE = "message";
    private static final String RECEIPT = "receipt";
    private static final String DISCONNECT = "disconnect";

    private DeliveryCodec() {
    }

    static String encode(Delivery delivery) {
        ObjectNode json = JsonValues.object().put("user", delivery.user());
        if (delivery instanceof Delivery.Message message) {
            json.put("kind", MESSAGE).put("seq", message.entry().seq());
            json.set("entry", JsonValues.JSON.valueToTree(message.entry().entry()));
        } else if (delivery instanceof Delivery.Receipt receipt) {
            json.put("kind", RECEIPT);
            json.set("receipt", JsonValues.JSON.valueToTree(receipt.receipt()));
        } else if (delivery instanceof Delivery.Disconnect disconnect) {
            json.put("kind", DISCONNECT);
            if (disconnect.reason() != null) {
                json.put("reason", disconnect.reason());
            }
        } else {
            throw new IllegalArgumentException("unknown delivery " + delivery.getClass().getName());
        }
        return JsonValues.write(json);
    }

    /** @throws IllegalArgumentException when {@code payload} is not a delivery */
    static Delivery decode(String payload) {
        ObjectNode json = JsonValues.parse(payload);
        String user = JsonValues.text(json, "user");
        String kind = JsonValues.text(json, "kind");
        try {
            return switch (kind) {
                case MESSAGE -> new Delivery.Message(user, new InboxEntry(JsonValues.integer(json, "seq"),
                        JsonValues.JSON.treeToValue(JsonValues.child(json, "entry"), LogEntry.class)));
                case RECEIPT -> new Delivery.Receipt(user,
                        JsonValues.JSON.treeToValue(JsonValues.child(json, "receipt"), Frame.Receipt.class));
                case DISCONNECT -> new Delivery.Disconnect(user, JsonValues.optionalText(json, "reason"));
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            };
        } catch (JsonProcessingException | ProtocolException e) {
            throw new IllegalArgumentException("malformed " + kind + ": " + e.getMessage(), e);
        }
    }
}
