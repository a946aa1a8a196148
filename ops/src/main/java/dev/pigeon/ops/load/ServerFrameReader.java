package dev.pigeon.ops.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Pulls the few fields the load generator acts on out of a server's JSON frame with a streaming
 * parser. The generator shares the machine's cores with the server it measures, so it skips the
 * full frame mapping of the protocol module and reads only what it counts.
 */
final class ServerFrameReader {
    private static final JsonFactory JSON = new JsonFactory();

    /** The fields of one server frame the generator needs; absent ones are null. */
    record ServerFrame(String type, String from, String id, String body, String code, String ref, String message) {

        /** The code of an {@code error} frame, named even when the server left it out. */
        String errorCode() {
            return code == null ? "error_without_code" : code;
        }

        /** An {@code error} frame in one line, for the log. */
        String describeError() {
            return errorCode() + (ref == null ? "" : " (ref " + ref + ")") + ": " + message;
        }
    }

    private ServerFrameReader() {
    }

    /** Reads one frame; a frame that is not a JSON object is an {@link IOException}. */
    static ServerFrame read(ByteBuf json) throws IOException {
        try (JsonParser parser = JSON.createParser((InputStream) new ByteBufInputStream(json.duplicate()))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a frame must be a JSON object");
            }
            String type = null;
            String from = null;
            String id = null;
            String body = null;
            String code = null;
            String ref = null;
            String message = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    parser.skipChildren();
                    continue;
                }
                switch (field) {
                    case "type" -> type = parser.getText();
                    case "from" -> from = parser.getText();
                    case "id" -> id = parser.getText();
                    case "body" -> body = parser.getText();
                    case "code" -> code = parser.getText();
                    case "ref" -> ref = parser.getText();
                    case "message" -> message = parser.getText();
                    default -> {
                        // a field the generator does not count
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || type == null) {
                throw new IOException("a frame must be one JSON object with a type");
            }
            return new ServerFrame(type, from, id, body, code, ref, message);
        }
    }
}
