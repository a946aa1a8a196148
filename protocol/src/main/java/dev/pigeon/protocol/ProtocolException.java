package dev.pigeon.protocol;

/**
 * A request that cannot be served, carrying the wire error code. Thrown (or used to fail a
 * future) anywhere below the edge; the edge turns it into an {@code error} frame or an HTTP status.
 */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final String ref;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code ref} of the request this error answers, or null. */
    public String ref() {
        return ref;
    }

    public ProtocolException withRef(String ref) {
        return ref == null || ref.equals(this.ref) ? this : new ProtocolException(code, getMessage(), ref);
    }

    public Frame.Error toFrame() {
        return new Frame.Error(code.wireName(), getMessage(), ref);
    }

    public static ProtocolException badRequest(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }

    public static ProtocolException forbidden(String message) {
        return new ProtocolException(ErrorCode.FORBIDDEN, message);
    }

    public static ProtocolException notFound(String message) {
        return new ProtocolException(ErrorCode.NOT_FOUND, message);
    }

    public static ProtocolException conflict(String message) {
        return new ProtocolException(ErrorCode.CONFLICT, message);
    }

    public static ProtocolException tooLarge(String message) {
        return new ProtocolException(ErrorCode.TOO_LARGE, message);
    }

    public static ProtocolException unavailable(String message) {
        return new ProtocolException(ErrorCode.UNAVAILABLE, message);
    }
}
