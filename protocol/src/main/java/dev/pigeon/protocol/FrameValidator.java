package dev.pigeon.protocol;

import java.util.function.Supplier;

/**
 * Checks the values of a decoded client frame against PROTOCOL.md and returns it normalised:
 * defaults filled in, page limits clamped, a send's conversation derived from {@code to}, a
 * {@code format} of {@code text} turned into null. A frame that breaks a rule is a
 * {@link ProtocolException} ({@code bad_request}, or {@code too_large} for a body over the limit)
 * carrying the frame's reply ref. Thread-safe.
 *
 * <p>Choices the protocol leaves open: a client message {@code id} is 1 to 64 code points, not
 * blank, without control characters (ids end up in logs) or unpaired surrogates; a {@code body}
 * may be empty but not absent, and must be valid Unicode (an unpaired surrogate has no UTF-8
 * form and could not be stored as sent); a {@code format} other than {@code text} is a bare media
 * type {@code type/subtype} of RFC 9110 token characters, at most 127 characters in all, without
 * parameters; a send naming both {@code conversation} and {@code to} is accepted when they agree.
 */
public final class FrameValidator {
    private static final int MAX_ID_CODE_POINTS = 64;
    private static final int MAX_FORMAT_LENGTH = 127;
    private static final String TEXT_FORMAT = "text";
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    /**
     * Size limits: the largest {@code body} in bytes of UTF-8, and the largest and default number
     * of entries one {@code sync} or {@code history} page may ask for.
     */
    public record Limits(int maxBodyBytes, int maxPageLimit, int defaultPageLimit) {
        public static final Limits DEFAULTS = new Limits(64 * 1024, 1000, 100);

        public Limits {
            if (maxBodyBytes < 0 || maxPageLimit < 1 || defaultPageLimit < 1 || defaultPageLimit > maxPageLimit) {
                throw new IllegalArgumentException("invalid limits: " + maxBodyBytes + ", " + maxPageLimit + ", "
                        + defaultPageLimit);
            }
        }
    }

    private final Limits limits;

    public FrameValidator() {
        this(Limits.DEFAULTS);
    }

    public FrameValidator(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Validates any client frame; {@code sender} is the authenticated user, from whom a send's
     * {@code to} derives the conversation.
     */
    public Frame.ClientFrame validate(Frame.ClientFrame frame, String sender) {
        if (frame instanceof Frame.Send send) {
            return send(send, sender);
        } else if (frame instanceof Frame.Ack ack) {
            return ack(ack);
        } else if (frame instanceof Frame.Read read) {
            return read(read);
        } else if (frame instanceof Frame.Sync sync) {
            return sync(sync);
        } else if (frame instanceof Frame.History history) {
            return history(history);
        } else if (frame instanceof Frame.Ping) {
            return frame;
        }
        throw new IllegalArgumentException("not a client frame type: " + frame.type());
    }

    /** A send with {@code conversation} set (derived from {@code to}, which becomes null) and text format null. */
    public Frame.Send send(Frame.Send send, String sender) {
        return withRef(send.replyRef(), () -> new Frame.Send(send.ref(), clientMessageId(send.id()),
                conversation(send, sender), null, body(send.body()), format(send.format())));
    }

    public Frame.Ack ack(Frame.Ack ack) {
        return withRef(ack.ref(), () -> new Frame.Ack(ack.ref(), position("up_to", ack.upTo())));
    }

    public Frame.Read read(Frame.Read read) {
        return withRef(read.ref(), () -> new Frame.Read(read.ref(), conversation(read.conversation()),
                position("up_to", read.upTo())));
    }

    /** A sync with {@code since} (default 0) and {@code limit} (default, at most the maximum) set. */
    public Frame.Sync sync(Frame.Sync sync) {
        return withRef(sync.ref(), () -> new Frame.Sync(sync.ref(),
                sync.since() == null ? 0L : position("since", sync.since()), pageLimit(sync.limit())));
    }

    /** A history request with {@code limit} set; {@code before} stays null for "from the newest". */
    public Frame.History history(Frame.History history) {
        return withRef(history.ref(), () -> {
            Long before = history.before();
            if (before != null && before < 1) {
                throw ProtocolException.badRequest("before must be at least 1");
            }
            return new Frame.History(history.ref(), conversation(history.conversation()), before,
                    pageLimit(history.limit()));
        });
    }

    private static <F extends Frame.ClientFrame> F withRef(String ref, Supplier<F> validation) {
        try {
            return validation.get();
        } catch (ProtocolException e) {
            throw e.withRef(ref);
        }
    }

    private static String clientMessageId(String id) {
        if (id == null) {
            throw ProtocolException.badRequest("id is required");
        }
        int codePoints = 0;
        boolean blank = true;
        for (int i = 0; i < id.length(); ) {
            int c = id.codePointAt(i);
            i += Character.charCount(c);
            boolean unpairedSurrogate = c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
            if (Character.isISOControl(c) || unpairedSurrogate) {
                throw ProtocolException.badRequest("id holds a control character or an unpaired surrogate");
            }
            blank &= Character.isWhitespace(c) || Character.isSpaceChar(c);
            codePoints++;
        }
        if (codePoints == 0 || codePoints > MAX_ID_CODE_POINTS || blank) {
            throw ProtocolException.badRequest("id must be 1 to " + MAX_ID_CODE_POINTS + " characters, not blank");
        }
        return id;
    }

    private static String conversation(Frame.Send send, String sender) {
        if (send.to() == null) {
            if (send.conversation() == null) {
                throw ProtocolException.badRequest("conversation or to is required");
            }
            return conversation(send.conversation());
        }
        UserId.require(send.to(), "to");
        String derived = ConversationId.direct(sender, send.to()).value();
        if (send.conversation() != null && !send.conversation().equals(derived)) {
            throw ProtocolException.badRequest("conversation and to name different conversations");
        }
        return derived;
    }

    private static String conversation(String conversation) {
        if (conversation == null) {
            throw ProtocolException.badRequest("conversation is required");
        }
        if (!ConversationId.isValid(conversation)) {
            throw ProtocolException.badRequest("conversation is not a valid conversation id");
        }
        return conversation;
    }

    private String body(String body) {
        if (body == null) {
            throw ProtocolException.badRequest("body is required");
        }
        long bytes = Utf8.encodedLength(body);
        if (bytes < 0) {
            throw ProtocolException.badRequest("body holds an unpaired surrogate");
        }
        if (bytes > limits.maxBodyBytes()) {
            throw ProtocolException.tooLarge("body is " + bytes + " bytes of UTF-8, more than "
                    + limits.maxBodyBytes());
        }
        return body;
    }

    private static String format(String format) {
        if (format == null || format.equals(TEXT_FORMAT)) {
            return null;
        }
        int slash = format.indexOf('/');
        boolean valid = format.length() <= MAX_FORMAT_LENGTH && slash > 0 && slash < format.length() - 1
                && isToken(format, 0, slash) && isToken(format, slash + 1, format.length());
        if (!valid) {
            throw ProtocolException.badRequest("format must be text or a media type such as image/jpeg");
        }
        return format;
    }

    private static boolean isToken(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static long position(String name, Long value) {
        if (value == null) {
            throw ProtocolException.badRequest(name + " is required");
        }
        if (value < 0) {
            throw ProtocolException.badRequest(name + " must not be negative");
        }
        return value;
    }

    private int pageLimit(Integer limit) {
        if (limit == null) {
            return limits.defaultPageLimit();
        }
        if (limit < 1) {
            throw ProtocolException.badRequest("limit must be at least 1");
        }
        return Math.min(limit, limits.maxPageLimit());
    }
}
