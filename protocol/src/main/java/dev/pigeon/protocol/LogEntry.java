package dev.pigeon.protocol;

/**
 * One message as the conversation log holds it: the same for every member. {@code format} is
 * null for plain text. This is also the shape of an entry in a {@code history} answer.
 */
public record LogEntry(String conversation, long convSeq, String from, String id, String body, String format,
                       long ts) {

    /** This message as the inbox entry {@code seq} of some member. */
    public Frame.Msg toMsg(long seq) {
        return new Frame.Msg(seq, conversation, convSeq, from, id, body, format, ts);
    }
}
