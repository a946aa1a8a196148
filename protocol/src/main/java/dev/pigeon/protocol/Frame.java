package dev.pigeon.protocol;

import java.util.List;

/**
 * Every frame of the wire protocol (PROTOCOL.md, "Frames"). Field names are the Java spelling of
 * the wire names: {@code convSeq} is {@code conv_seq} on the wire. Optional request fields are
 * boxed and null when absent; {@link FrameValidator} checks them before anything acts on a frame.
 */
public sealed interface Frame {

    /** The wire {@code type} of this frame. */
    String type();

    /** The {@code ref} a request carried, or that a reply answers; null when none. */
    default String ref() {
        return null;
    }

    /** A frame a client sends. */
    sealed interface ClientFrame extends Frame permits Send, Ack, Read, Sync, History, Ping {
    }

    /** A frame the server sends. */
    sealed interface ServerFrame extends Frame
            permits Hello, Msg, Sent, Receipt, Error, Pong, Synced, HistoryPage {
    }

    // ---- client to server ----

    record Send(String ref, String id, String conversation, String to, String body, String format)
            implements ClientFrame {
        public String type() { return "send"; }

        /** The ref replies carry: the explicit one, else the message id. */
        public String replyRef() {
            return ref != null ? ref : id;
        }
    }

    record Ack(String ref, Long upTo) implements ClientFrame {
        public String type() { return "ack"; }
    }

    record Read(String ref, String conversation, Long upTo) implements ClientFrame {
        public String type() { return "read"; }
    }

    record Sync(String ref, Long since, Integer limit) implements ClientFrame {
        public String type() { return "sync"; }
    }

    record History(String ref, String conversation, Long before, Integer limit) implements ClientFrame {
        public String type() { return "history"; }
    }

    record Ping(String ref) implements ClientFrame {
        public String type() { return "ping"; }
    }

    // ---- server to client ----

    record Hello(String session, String user, String node, String region, String homeRegion, long epoch,
                 long head, long heartbeatMs) implements ServerFrame {
        public String type() { return "hello"; }
    }

    /** One inbox entry; {@code format} is null for text (and then omitted on the wire). */
    record Msg(long seq, String conversation, long convSeq, String from, String id, String body, String format,
               long ts) implements ServerFrame {
        public String type() { return "msg"; }
    }

    record Sent(String ref, String id, String conversation, long convSeq, long seq, long ts)
            implements ServerFrame {
        public String type() { return "sent"; }
    }

    record Receipt(String conversation, String user, long readUpTo) implements ServerFrame {
        public String type() { return "receipt"; }
    }

    record Error(String code, String message, String ref) implements ServerFrame {
        public String type() { return "error"; }
    }

    record Pong(String ref) implements ServerFrame {
        public String type() { return "pong"; }
    }

    record Synced(String ref, long head) implements ServerFrame {
        public String type() { return "synced"; }
    }

    /** The answer to a {@code history} request; its wire type is {@code history}. */
    record HistoryPage(String ref, String conversation, List<LogEntry> messages) implements ServerFrame {
        public HistoryPage {
            messages = List.copyOf(messages);
        }

        public String type() { return "history"; }
    }
}
