package dev.pigeon.protocol;

import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The binary frames of the {@code pigeon.v1.proto} subprotocol: one protobuf
 * {@code pigeon.v1.Frame} per WebSocket message, with the fields and meaning of the JSON frames.
 */
public final class ProtoFrameCodec implements FrameCodec {

    @Override
    public Frame.ClientFrame decodeClient(byte[] bytes) {
        try {
            return ProtoFrames.client(dev.pigeon.protocol.proto.Frame.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw malformed(e);
        }
    }

    @Override
    public Frame.ClientFrame decodeClient(InputStream in) {
        return ProtoFrames.client(parse(in));
    }

    @Override
    public Frame.ServerFrame decodeServer(byte[] bytes) {
        try {
            return ProtoFrames.server(dev.pigeon.protocol.proto.Frame.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw malformed(e);
        }
    }

    @Override
    public Frame.ServerFrame decodeServer(InputStream in) {
        return ProtoFrames.server(parse(in));
    }

    @Override
    public byte[] encode(Frame frame) {
        return ProtoFrames.toProto(frame).toByteArray();
    }

    @Override
    public void encode(Frame frame, OutputStream out) {
        try {
            ProtoFrames.toProto(frame).writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static dev.pigeon.protocol.proto.Frame parse(InputStream in) {
        try {
            return dev.pigeon.protocol.proto.Frame.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProtocolException malformed(InvalidProtocolBufferException e) {
        return ProtocolException.badRequest("malformed protobuf frame: " + e.getMessage());
    }
}
