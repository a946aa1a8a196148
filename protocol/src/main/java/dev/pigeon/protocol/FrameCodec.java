package dev.pigeon.protocol;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns frames into bytes and back, for one wire format ({@link JsonFrameCodec} for the
 * {@code pigeon.v1.json} subprotocol and every HTTP body, {@link ProtoFrameCodec} for
 * {@code pigeon.v1.proto}). Implementations are stateless and thread-safe.
 *
 * <p>Decoding checks the shape of a frame (its type, the types of its fields), not its values:
 * pass a decoded {@link Frame.ClientFrame} through {@link FrameValidator} before acting on it.
 * Any malformed input is a {@link ProtocolException} with {@link ErrorCode#BAD_REQUEST}, carrying
 * the frame's reply ref when one could be read. Streams are read to their end and never closed:
 * the caller owns them. An {@link java.io.IOException} of the stream itself, as opposed to a
 * malformed frame, surfaces as an {@link java.io.UncheckedIOException}.
 */
public interface FrameCodec {

    /** Decodes a frame a client sent; server frame types are {@code bad_request}. */
    Frame.ClientFrame decodeClient(byte[] bytes);

    /** Decodes a frame a client sent, reading {@code in} to its end. */
    Frame.ClientFrame decodeClient(InputStream in);

    /** Decodes a frame the server sent (what a client does); client frame types are {@code bad_request}. */
    Frame.ServerFrame decodeServer(byte[] bytes);

    /** Decodes a frame the server sent, reading {@code in} to its end. */
    Frame.ServerFrame decodeServer(InputStream in);

    byte[] encode(Frame frame);

    /** Writes one frame to {@code out} (flushed, not closed), e.g. straight into a pooled buffer. */
    void encode(Frame frame, OutputStream out);
}
