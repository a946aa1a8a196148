package dev.pigeon.ops.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.DataFormatException;

/**
 * The machine-readable lines a child process writes on its standard output for the parent that
 * started it: {@code pigeon-load-progress {json}} every second and one {@code pigeon-load-result
 * {json}} at the end. Latency histograms travel compressed, in base64, so combining processes
 * loses no precision.
 */
final class LoadLines {
    static final String PROGRESS = "pigeon-load-progress ";
    static final String RESULT = "pigeon-load-result ";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule()
                    .addSerializer(Histogram.class, new HistogramSerializer())
                    .addDeserializer(Histogram.class, new HistogramDeserializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private LoadLines() {
    }

    static String progress(Progress progress) {
        return PROGRESS + json(progress);
    }

    static String result(LoadResult result) {
        return RESULT + json(result);
    }

    static Optional<Progress> parseProgress(String line) {
        return parse(line, PROGRESS, Progress.class);
    }

    static Optional<LoadResult> parseResult(String line) {
        return parse(line, RESULT, LoadResult.class);
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** Empty for a line of another kind; a line of this kind that does not parse is an error. */
    private static <T> Optional<T> parse(String line, String prefix, Class<T> type) {
        if (!line.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(line.substring(prefix.length()), type));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + prefix.trim() + " line: " + e.getOriginalMessage(), e);
        }
    }

    private static final class HistogramSerializer extends JsonSerializer<Histogram> {
        @Override
        public void serialize(Histogram histogram, JsonGenerator out, SerializerProvider provider) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            out.writeString(Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)));
        }
    }

    private static final class HistogramDeserializer extends JsonDeserializer<Histogram> {
        @Override
        public Histogram deserialize(JsonParser in, DeserializationContext context) throws IOException {
            try {
                byte[] bytes = Base64.getDecoder().decode(in.getValueAsString());
                return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            } catch (IllegalArgumentException | DataFormatException e) {
                throw context.weirdStringException(in.getText(), Histogram.class, "not an encoded histogram");
            }
        }
    }
}
