package dev.pigeon.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict, typed access to the fields of one JSON object. An absent field and a JSON {@code null}
 * are the same; a value of the wrong JSON type (a string where a number belongs, a fraction where
 * an integer belongs, an integer too big for its Java type) is {@code bad_request}.
 */
final class JsonFields {
    private final ObjectNode object;

    JsonFields(ObjectNode object) {
        this.object = object;
    }

    static JsonFields of(JsonNode node, String what) {
        if (!(node instanceof ObjectNode)) {
            throw ProtocolException.badRequest(what + " must be a JSON object");
        }
        return new JsonFields((ObjectNode) node);
    }

    String optionalString(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProtocolException.badRequest(name + " must be a string");
        }
        return value.textValue();
    }

    String string(String name) {
        return required(name, optionalString(name));
    }

    Long optionalLong(String name) {
        JsonNode value = integral(name);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToLong()) {
            throw ProtocolException.badRequest(name + " is out of range");
        }
        return value.longValue();
    }

    long longValue(String name) {
        return required(name, optionalLong(name));
    }

    Integer optionalInt(String name) {
        JsonNode value = integral(name);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToInt()) {
            throw ProtocolException.badRequest(name + " is out of range");
        }
        return value.intValue();
    }

    /** A required array of objects, each as its own {@link JsonFields}. */
    List<JsonFields> objects(String name) {
        JsonNode value = required(name, value(name));
        if (!value.isArray()) {
            throw ProtocolException.badRequest(name + " must be an array");
        }
        List<JsonFields> objects = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            objects.add(of(element, "each of " + name));
        }
        return objects;
    }

    private JsonNode integral(String name) {
        JsonNode value = value(name);
        if (value != null && !value.isIntegralNumber()) {
            throw ProtocolException.badRequest(name + " must be an integer");
        }
        return value;
    }

    private JsonNode value(String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static <T> T required(String name, T value) {
        if (value == null) {
            throw ProtocolException.badRequest(name + " is required");
        }
        return value;
    }
}
