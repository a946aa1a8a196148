package dev.pigeon.gateway.link;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.RequestBodies;
import dev.pigeon.gateway.link.LinkMessages.AckRequest;
import dev.pigeon.gateway.link.LinkMessages.DeliverRequest;
import dev.pigeon.gateway.link.LinkMessages.ForgetHomeRequest;
import dev.pigeon.gateway.link.LinkMessages.PlaceRequest;
import dev.pigeon.gateway.link.LinkMessages.ReadRequest;
import dev.pigeon.gateway.link.LinkMessages.SendRequest;
import dev.pigeon.gateway.link.LinkMessages.SessionsRequest;
import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.DeliveryCodec;
import dev.pigeon.storage.HomeStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bodies of link requests and checks them by the protocol's rules before anything acts on
 * them: ids as PROTOCOL.md has them, sends as a client's, log entries as sends already accepted. A
 * request that breaks a rule is {@code bad_request} naming the field.
 */
final class LinkRequests {
    private static final int MAX_DEVICE_LENGTH = 64;

    private final FrameValidator sends;
    /**
     * Log entries were accepted by their home under its body limit; a smaller limit here must not
     * stall their placement, so they are checked by every rule but the size.
     */
    private final FrameValidator entries;

    LinkRequests(FrameValidator sends) {
        this.sends = sends;
        FrameValidator.Limits limits = sends.limits();
        this.entries = new FrameValidator(new FrameValidator.Limits(Integer.MAX_VALUE, limits.maxPageLimit(),
                limits.defaultPageLimit()));
    }

    /** A send to run: the sender and the send as a validated client frame. */
    SendRequest send(HttpExchange exchange) {
        SendRequest body = RequestBodies.json(exchange, SendRequest.class);
        String sender = user(body.sender(), "sender");
        return new SendRequest(sender, sends.send(required(body.send(), "send"), sender));
    }

    /** Entries to place: one conversation's, oldest first, at contiguous {@code conv_seq}s. */
    PlaceRequest place(HttpExchange exchange) {
        PlaceRequest body = RequestBodies.json(exchange, PlaceRequest.class);
        String conversation = conversation(body.conversation(), "conversation");
        List<LogEntry> placed = required(body.entries(), "entries");
        for (int i = 0; i < placed.size(); i++) {
            String where = "entries[" + i + "]";
            LogEntry entry = required(placed.get(i), where);
            entry(entry, where);
            if (!entry.conversation().equals(conversation)) {
                throw ProtocolException.badRequest(where + " belongs to another conversation");
            }
            if (i > 0 && entry.convSeq() != placed.get(0).convSeq() + i) {
                throw ProtocolException.badRequest("entries must be oldest first at contiguous conv_seq; "
                        + where + " is not");
            }
        }
        return new PlaceRequest(conversation, placed);
    }

    List<Delivery> deliver(HttpExchange exchange) {
        List<JsonNode> json = required(RequestBodies.json(exchange, DeliverRequest.class).deliveries(), "deliveries");
        List<Delivery> deliveries = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            String where = "deliveries[" + i + "]";
            Delivery delivery;
            try {
                delivery = DeliveryCodec.fromJson(json.get(i));
            } catch (IllegalArgumentException e) {
                throw ProtocolException.badRequest(where + " is not a delivery: " + e.getMessage());
            }
            deliveries.add(delivery(delivery, where));
        }
        return deliveries;
    }

    AckRequest ack(HttpExchange exchange) {
        AckRequest body = RequestBodies.json(exchange, AckRequest.class);
        return new AckRequest(user(body.user(), "user"), device(body.device()), position(body.upTo(), "up_to"));
    }

    ReadRequest read(HttpExchange exchange) {
        ReadRequest body = RequestBodies.json(exchange, ReadRequest.class);
        return new ReadRequest(user(body.user(), "user"), conversation(body.conversation(), "conversation"),
                position(body.upTo(), "up_to"));
    }

    /** The users whose sessions are asked for: valid ids, at most {@link LinkMessages#MAX_USERS}, each once. */
    List<String> sessions(HttpExchange exchange) {
        List<String> users = required(RequestBodies.json(exchange, SessionsRequest.class).users(), "users");
        if (users.size() > LinkMessages.MAX_USERS) {
            throw ProtocolException.badRequest("at most " + LinkMessages.MAX_USERS + " users per request");
        }
        for (int i = 0; i < users.size(); i++) {
            user(users.get(i), "users[" + i + "]");
        }
        return users.stream().distinct().toList();
    }

    /** The home to forget: its kind and an id valid for that kind. */
    Forget forgetHome(HttpExchange exchange) {
        ForgetHomeRequest body = RequestBodies.json(exchange, ForgetHomeRequest.class);
        String kind = required(body.kind(), "kind");
        if (kind.equals(HomeStore.Kind.USER.name())) {
            return new Forget(HomeStore.Kind.USER, user(body.id(), "id"));
        }
        if (kind.equals(HomeStore.Kind.CONVERSATION.name())) {
            return new Forget(HomeStore.Kind.CONVERSATION, conversation(body.id(), "id"));
        }
        throw ProtocolException.badRequest("kind must be USER or CONVERSATION");
    }

    record Forget(HomeStore.Kind kind, String id) {
    }

    private Delivery delivery(Delivery delivery, String where) {
        user(delivery.user(), where + ".user");
        if (delivery instanceof Delivery.Message message) {
            entry(message.entry().entry(), where + ".entry");
            if (message.entry().seq() < 1) {
                throw ProtocolException.badRequest(where + ".seq must be at least 1");
            }
        } else if (delivery instanceof Delivery.Receipt receipt) {
            conversation(receipt.receipt().conversation(), where + ".receipt.conversation");
            user(receipt.receipt().user(), where + ".receipt.user");
            position(receipt.receipt().readUpTo(), where + ".receipt.read_up_to");
        }
        return delivery;
    }

    /** A log entry: a valid sender and conversation, a send's id, body and format rules, positions in range. */
    private void entry(LogEntry entry, String where) {
        user(entry.from(), where + ".from");
        try {
            entries.send(new Frame.Send(null, entry.id(), entry.conversation(), null, entry.body(), entry.format()),
                    entry.from());
        } catch (ProtocolException e) {
            throw ProtocolException.badRequest(where + ": " + e.getMessage());
        }
        if (entry.convSeq() < 1) {
            throw ProtocolException.badRequest(where + ".conv_seq must be at least 1");
        }
        position(entry.ts(), where + ".ts");
    }

    private static String user(String id, String name) {
        return UserId.require(required(id, name), name);
    }

    private static String conversation(String id, String name) {
        if (!ConversationId.isValid(required(id, name))) {
            throw ProtocolException.badRequest(name + " is not a valid conversation id");
        }
        return id;
    }

    /** A device as a token's {@code dev} claim names it: 1 to 64 characters, none of them a control character. */
    private static String device(String device) {
        required(device, "device");
        boolean control = device.chars().anyMatch(Character::isISOControl);
        if (device.isEmpty() || device.length() > MAX_DEVICE_LENGTH || control) {
            throw ProtocolException.badRequest("device must be 1 to " + MAX_DEVICE_LENGTH
                    + " characters without control characters");
        }
        return device;
    }

    private static long position(Long value, String name) {
        if (required(value, name) < 0) {
            throw ProtocolException.badRequest(name + " must not be negative");
        }
        return value;
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw ProtocolException.badRequest(name + " is required");
        }
        return value;
    }
}
