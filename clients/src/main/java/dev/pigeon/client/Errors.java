package dev.pigeon.client;

import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolException;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;

/** How the client reads the errors it meets. */
final class Errors {
    /** Codes after which resending the same send cannot succeed. */
    private static final Set<ErrorCode> FINAL = EnumSet.of(ErrorCode.BAD_REQUEST, ErrorCode.FORBIDDEN,
            ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.TOO_LARGE);

    private Errors() {
    }

    /** The code an error frame names; an unknown one counts as {@code unavailable} (worth a retry). */
    static ErrorCode code(Frame.Error error) {
        try {
            return ErrorCode.fromWireName(error.code());
        } catch (IllegalArgumentException e) {
            return ErrorCode.UNAVAILABLE;
        }
    }

    static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /** True when the server refused a send for good. */
    static boolean isFinal(Throwable failure) {
        return unwrap(failure) instanceof ProtocolException e && FINAL.contains(e.code());
    }
}
