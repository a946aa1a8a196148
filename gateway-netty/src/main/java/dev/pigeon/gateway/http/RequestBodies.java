package dev.pigeon.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.ProtocolJson;

/** Reads JSON request bodies; anything that is not the expected JSON is {@code bad_request}. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The body as a client frame of {@code type}. The body is that frame's JSON; its {@code type} may
     * be left out (the path names it) but may not name another frame.
     */
    static <F extends Frame.ClientFrame> F frame(HttpExchange exchange, FrameCodec json, Class<F> frameClass,
                                                String type) {
        JsonNode tree = ProtocolJson.read(nonEmpty(exchange), JsonNode.class);
        if (!(tree instanceof ObjectNode object)) {
            throw ProtocolException.badRequest("the body must be a JSON object");
        }
        if (!object.has("type")) {
            object.put("type", type);
        }
        Frame.ClientFrame frame;
        try {
            frame = json.decodeClient(ProtocolJson.mapper().writeValueAsBytes(object));
        } catch (JsonProcessingException e) {
            throw ProtocolException.badRequest("the body cannot be read as JSON");
        }
        if (!frameClass.isInstance(frame)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "this path takes a " + type + " frame, not " + frame.type(), frame.ref());
        }
        return frameClass.cast(frame);
    }

    /**
     * The body as a JSON object of {@code type} (a record with snake_case fields); a refusal names
     * the field that is wrong.
     */
    public static <T> T json(HttpExchange exchange, Class<T> type) {
        JsonNode tree = ProtocolJson.read(nonEmpty(exchange), JsonNode.class);
        if (tree == null || !tree.isObject()) {
            throw ProtocolException.badRequest("the body must be a JSON object");
        }
        try {
            return ProtocolJson.mapper().treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ProtocolException.badRequest("the body does not have the expected fields and types" + where(e));
        }
    }

    /** Where in the body the mapping failed, and why when a frame or log entry said so; no input echoed. */
    private static String where(Exception failure) {
        StringBuilder where = new StringBuilder();
        if (failure instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference step : mapping.getPath()) {
                if (step.getFieldName() != null) {
                    where.append(where.length() == 0 ? "" : ".").append(step.getFieldName());
                } else if (step.getIndex() >= 0) {
                    where.append('[').append(step.getIndex()).append(']');
                }
            }
        }
        String prefix = where.length() == 0 ? "" : " at " + where;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProtocolException protocol) {
                return prefix + ": " + protocol.getMessage();
            }
        }
        return prefix;
    }

    private static byte[] nonEmpty(HttpExchange exchange) {
        byte[] body = exchange.body();
        if (body.length == 0) {
            throw ProtocolException.badRequest("a JSON body is required");
        }
        return body;
    }
}
