package dev.pigeon.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.function.Function;

/**
 * Teaches an {@code ObjectMapper} the frame JSON of PROTOCOL.md, so that a frame or a log entry
 * nested in any other JSON body (a {@code msg} inside {@code {"messages":[...],"head":H}}) has
 * exactly the shape it has on a WebSocket. A malformed frame read this way is a
 * {@link JsonMappingException} like any other mapping failure.
 */
final class FrameJsonModule extends SimpleModule {

    FrameJsonModule() {
        super("pigeon-frames");
        addSerializer(Frame.class, new StdSerializer<>(Frame.class) {
            @Override
            public void serialize(Frame frame, JsonGenerator g, SerializerProvider provider) throws IOException {
                FrameJsonWriter.write(frame, g);
            }
        });
        addSerializer(LogEntry.class, new StdSerializer<>(LogEntry.class) {
            @Override
            public void serialize(LogEntry entry, JsonGenerator g, SerializerProvider provider) throws IOException {
                FrameJsonWriter.write(entry, g);
            }
        });
        addReader(LogEntry.class, json -> FrameJsonReader.logEntry(JsonFields.of(json, "a log entry")));
        addReader(Frame.ClientFrame.class, FrameJsonReader::client);
        addReader(Frame.ServerFrame.class, FrameJsonReader::server);
        for (Class<?> type : Frame.ClientFrame.class.getPermittedSubclasses()) {
            addFrameReader(type, FrameJsonReader::client);
        }
        for (Class<?> type : Frame.ServerFrame.class.getPermittedSubclasses()) {
            addFrameReader(type, FrameJsonReader::server);
        }
    }

    /** Reads one concrete frame type, refusing a frame of any other type. */
    private <T> void addFrameReader(Class<T> type, Function<JsonNode, ? extends Frame> read) {
        addReader(type, json -> {
            Frame frame = read.apply(json);
            if (!type.isInstance(frame)) {
                throw ProtocolException.badRequest("expected a " + type.getSimpleName() + " frame, got "
                        + frame.type());
            }
            return type.cast(frame);
        });
    }

    private <T> void addReader(Class<T> type, Function<JsonNode, T> read) {
        addDeserializer(type, new StdDeserializer<>(type) {
            @Override
            public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
                JsonNode json = context.readTree(p);
                try {
                    return read.apply(json);
                } catch (ProtocolException e) {
                    throw JsonMappingException.from(p, e.getMessage(), e);
                }
            }
        });
    }
}
