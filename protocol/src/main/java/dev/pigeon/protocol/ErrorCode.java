package dev.pigeon.protocol;

/** The error codes of the wire protocol, with the HTTP status each maps to. */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    CONFLICT("conflict", 409),
    TOO_LARGE("too_large", 413),
    RATE_LIMITED("rate_limited", 429),
    UNAVAILABLE("unavailable", 503);

    private final String wireName;
    private final int httpStatus;

    ErrorCode(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static ErrorCode fromWireName(String name) {
        for (ErrorCode code : values()) {
            if (code.wireName.equals(name)) {
                return code;
            }
        }
        throw new IllegalArgumentException("unknown error code: " + name);
    }
}
