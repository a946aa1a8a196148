package dev.pigeon.protocol;

import java.util.List;

/**
 * A conversation id: {@code dm:<a>:<b>} with {@code a <= b} (equal for notes to self) or
 * {@code g:<group>}. Instances are always valid and canonical.
 */
public record ConversationId(String value) {
    private static final String DIRECT = "dm:";
    private static final String GROUP = "g:";

    public ConversationId {
        if (!isValid(value)) {
            throw ProtocolException.badRequest("conversation is not a valid conversation id");
        }
    }

    /** Parses a wire conversation id, throwing {@code bad_request} if it is not canonical. */
    public static ConversationId parse(String value) {
        return new ConversationId(value);
    }

    /** The direct conversation between two users, in canonical order. */
    public static ConversationId direct(String a, String b) {
        UserId.require(a, "user");
        UserId.require(b, "to");
        return new ConversationId(DIRECT + (a.compareTo(b) <= 0 ? a + ":" + b : b + ":" + a));
    }

    public static ConversationId group(String group) {
        return new ConversationId(GROUP + UserId.require(group, "group"));
    }

    public static boolean isValid(String value) {
        if (value == null) {
            return false;
        }
        if (value.startsWith(GROUP)) {
            return UserId.isValid(value.substring(GROUP.length()));
        }
        if (value.startsWith(DIRECT)) {
            String rest = value.substring(DIRECT.length());
            int colon = rest.indexOf(':');
            if (colon < 0) {
                return false;
            }
            String a = rest.substring(0, colon);
            String b = rest.substring(colon + 1);
            return UserId.isValid(a) && UserId.isValid(b) && a.compareTo(b) <= 0;
        }
        return false;
    }

    public boolean isDirect() {
        return value.startsWith(DIRECT);
    }

    /** The group name of a group conversation; throws for a direct one. */
    public String group() {
        if (isDirect()) {
            throw new IllegalStateException(value + " is not a group conversation");
        }
        return value.substring(GROUP.length());
    }

    /** The members of a direct conversation: two users, or one for notes to self. */
    public List<String> directMembers() {
        if (!isDirect()) {
            throw new IllegalStateException(value + " is not a direct conversation");
        }
        String rest = value.substring(DIRECT.length());
        int colon = rest.indexOf(':');
        String a = rest.substring(0, colon);
        String b = rest.substring(colon + 1);
        return a.equals(b) ? List.of(a) : List.of(a, b);
    }

    @Override
    public String toString() {
        return value;
    }
}
