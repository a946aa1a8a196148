package dev.pigeon.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.function.Function;

/**
 * Reads frames from parsed JSON, as PROTOCOL.md spells them. Which record a wire {@code type}
 * becomes depends on the direction: {@code history} is {@link Frame.History} from a client and
 * {@link Frame.HistoryPage} from the server. Fields a frame does not define are ignored.
 */
final class FrameJsonReader {
    private static final int MAX_ECHOED_TYPE_LENGTH = 32;

    private static final Map<String, Function<JsonFields, Frame.ClientFrame>> CLIENT = Map.of(
            "send", f -> new Frame.Send(f.optionalString("ref"), f.optionalString("id"),
                    f.optionalString("conversation"), f.optionalString("to"), f.optionalString("body"),
                    f.optionalString("format")),
            "ack", f -> new Frame.Ack(f.optionalString("ref"), f.optionalLong("up_to")),
            "read", f -> new Frame.Read(f.optionalString("ref"), f.optionalString("conversation"),
                    f.optionalLong("up_to")),
            "sync", f -> new Frame.Sync(f.optionalString("ref"), f.optionalLong("since"), f.optionalInt("limit")),
            "history", f -> new Frame.History(f.optionalString("ref"), f.optionalString("conversation"),
                    f.optionalLong("before"), f.optionalInt("limit")),
            "ping", f -> new Frame.Ping(f.optionalString("ref")));

    private static final Map<String, Function<JsonFields, Frame.ServerFrame>> SERVER = Map.of(
            "hello", f -> new Frame.Hello(f.string("session"), f.string("user"), f.string("node"),
                    f.string("region"), f.string("home_region"), f.longValue("epoch"), f.longValue("head"),
                    f.longValue("heartbeat_ms")),
            "msg", f -> new Frame.Msg(f.longValue("seq"), f.string("conversation"), f.longValue("conv_seq"),
                    f.string("from"), f.string("id"), f.string("body"), f.optionalString("format"),
                    f.longValue("ts")),
            "sent", f -> new Frame.Sent(f.optionalString("ref"), f.string("id"), f.string("conversation"),
                    f.longValue("conv_seq"), f.longValue("seq"), f.longValue("ts")),
            "receipt", f -> new Frame.Receipt(f.string("conversation"), f.string("user"),
                    f.longValue("read_up_to")),
            "error", f -> new Frame.Error(f.string("code"), f.string("message"), f.optionalString("ref")),
            "pong", f -> new Frame.Pong(f.optionalString("ref")),
            "synced", f -> new Frame.Synced(f.optionalString("ref"), f.longValue("head")),
            "history", f -> new Frame.HistoryPage(f.optionalString("ref"), f.string("conversation"),
                    f.objects("messages").stream().map(FrameJsonReader::logEntry).toList()));

    private FrameJsonReader() {
    }

    static Frame.ClientFrame client(JsonNode json) {
        return read(json, CLIENT, "client");
    }

    static Frame.ServerFrame server(JsonNode json) {
        return read(json, SERVER, "server");
    }

    static LogEntry logEntry(JsonFields f) {
        return new LogEntry(f.string("conversation"), f.longValue("conv_seq"), f.string("from"), f.string("id"),
                f.string("body"), f.optionalString("format"), f.longValue("ts"));
    }

    private static <F extends Frame> F read(JsonNode json, Map<String, Function<JsonFields, F>> readers,
                                            String direction) {
        if (json == null || json.isMissingNode()) {
            throw ProtocolException.badRequest("empty frame");
        }
        JsonFields fields = JsonFields.of(json, "a frame");
        String replyRef = replyRef(json);
        try {
            String type = fields.string("type");
            Function<JsonFields, F> reader = readers.get(type);
            if (reader == null) {
                throw ProtocolException.badRequest("unknown " + direction + " frame type '" + echo(type) + "'");
            }
            return reader.apply(fields);
        } catch (ProtocolException e) {
            throw e.withRef(replyRef);
        }
    }

    /** The ref an error about this frame carries: its string {@code ref}, else a send's string {@code id}. */
    private static String replyRef(JsonNode json) {
        JsonNode ref = json.get("ref");
        if (ref != null && ref.isTextual()) {
            return ref.textValue();
        }
        JsonNode type = json.get("type");
        JsonNode id = json.get("id");
        boolean send = type != null && "send".equals(type.textValue());
        return send && id != null && id.isTextual() ? id.textValue() : null;
    }

    private static String echo(String type) {
        return type.length() <= MAX_ECHOED_TYPE_LENGTH ? type : type.substring(0, MAX_ECHOED_TYPE_LENGTH) + "...";
    }
}
