package dev.pigeon.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one set of JSON rules for everything Pigeon reads and writes as JSON: frames, HTTP bodies,
 * admin answers. Properties are snake_case ({@code homeRegion} is {@code home_region}), nulls are
 * omitted, unknown properties are ignored, and a value of the wrong JSON type is an error rather
 * than coerced (no {@code "5"} for 5, no {@code 1.5} for an integer). {@link Frame}s and
 * {@link LogEntry}s anywhere in a value have their PROTOCOL.md shape.
 */
public final class ProtocolJson {
    /** Frames and request bodies are flat; deeper nesting is only ever an attack on the parser. */
    private static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = newMapper();

    private ProtocolJson() {
    }

    /**
     * The shared mapper. It is thread-safe; do not reconfigure it (derive an {@code ObjectReader}
     * or {@code ObjectWriter} for anything special). It never closes the streams it is given.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a JSON body as {@code type}; anything malformed or mistyped is {@code bad_request}. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Reads a JSON body as {@code type} from {@code json} (not closed). */
    public static <T> T read(InputStream json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException | CharConversionException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code bad_request} for input the parser refused, with the parser's reason but no input. */
    static ProtocolException malformed(IOException e) {
        String reason = e instanceof JsonProcessingException processing ? processing.getOriginalMessage()
                : e.getMessage();
        return ProtocolException.badRequest("malformed JSON: " + reason);
    }

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.NON_NULL))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(new FrameJsonModule())
                .build();
        // A number or boolean where a string belongs is a mistake, as it is in a frame.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
