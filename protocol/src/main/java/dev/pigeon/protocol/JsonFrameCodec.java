package dev.pigeon.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The JSON frames of PROTOCOL.md ({@code pigeon.v1.json}, SSE data, HTTP bodies): one object with
 * a {@code type} and snake_case fields, absent optional fields omitted. Unknown fields are
 * ignored; duplicate fields, trailing content and values of the wrong JSON type are
 * {@code bad_request}. Follows the rules of {@link ProtocolJson}.
 */
public final class JsonFrameCodec implements FrameCodec {
    private final ObjectMapper mapper = ProtocolJson.mapper();
    private final ObjectWriter writer = mapper.writerFor(Frame.class);

    @Override
    public Frame.ClientFrame decodeClient(byte[] json) {
        return FrameJsonReader.client(parse(json));
    }

    @Override
    public Frame.ClientFrame decodeClient(InputStream json) {
        return FrameJsonReader.client(parse(json));
    }

    @Override
    public Frame.ServerFrame decodeServer(byte[] json) {
        return FrameJsonReader.server(parse(json));
    }

    @Override
    public Frame.ServerFrame decodeServer(InputStream json) {
        return FrameJsonReader.server(parse(json));
    }

    @Override
    public byte[] encode(Frame frame) {
        try {
            return writer.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame cannot be written as JSON: " + frame.type(), e);
        }
    }

    @Override
    public void encode(Frame frame, OutputStream out) {
        try {
            writer.writeValue(out, frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode parse(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw ProtocolJson.malformed(e);
        }
    }

    private JsonNode parse(InputStream json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException | CharConversionException e) {
            throw ProtocolJson.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
