package dev.pigeon.protocol;

import java.util.regex.Pattern;

/** The user-id rule of PROTOCOL.md: {@code [A-Za-z0-9_.-]{1,64}}, except {@code .} and {@code ..}. */
public final class UserId {
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private UserId() {
    }

    public static boolean isValid(String id) {
        return id != null && RULE.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** Returns {@code id} if valid, else throws {@code bad_request} naming {@code field}. */
    public static String require(String id, String field) {
        if (!isValid(id)) {
            throw ProtocolException.badRequest(field + " is not a valid id");
        }
        return id;
    }
}
