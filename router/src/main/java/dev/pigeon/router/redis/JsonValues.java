package dev.pigeon.router.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.protocol.ProtocolJson;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strict reading and writing of the small JSON values Pigeon keeps in Redis. Anything another
 * process put there is untrusted: a missing or mistyped field is an {@link IllegalArgumentException}.
 */
final class JsonValues {
    static final ObjectMapper JSON = ProtocolJson.mapper();

    private JsonValues() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String write(ObjectNode value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    static ObjectNode parse(String json) {
        JsonNode value;
        try {
            value = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(value instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return object;
    }

    static String text(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return value.textValue();
    }

    static String optionalText(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : text(object, name);
    }

    static long integer(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return value.longValue();
    }

    static ObjectNode child(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (!(value instanceof ObjectNode child)) {
            throw new IllegalArgumentException(name + " must be an object");
        }
        return child;
    }

    static ObjectNode counts(Map<String, Long> counts) {
        ObjectNode object = object();
        counts.forEach(object::put);
        return object;
    }

    static Map<String, Long> counts(JsonNode object, String name) {
        ObjectNode counts = child(object, name);
        Map<String, Long> read = new TreeMap<>();
        for (Iterator<String> names = counts.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            read.put(key, integer(counts, key));
        }
        return read;
    }
}
