package dev.pigeon.protocol;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * Writes frames as PROTOCOL.md spells them: {@code type} first, then the fields in the order the
 * protocol lists them, snake_case; null fields are omitted, and so is a {@code format} of text.
 */
final class FrameJsonWriter {
    private static final String TEXT_FORMAT = "text";

    private FrameJsonWriter() {
    }

    static void write(Frame frame, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", frame.type());
        if (frame instanceof Frame.ClientFrame client) {
            writeFields(client, g);
        } else {
            writeFields((Frame.ServerFrame) frame, g);
        }
        g.writeEndObject();
    }

    static void write(LogEntry entry, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, "conversation", entry.conversation());
        g.writeNumberField("conv_seq", entry.convSeq());
        string(g, "from", entry.from());
        string(g, "id", entry.id());
        string(g, "body", entry.body());
        format(g, entry.format());
        g.writeNumberField("ts", entry.ts());
        g.writeEndObject();
    }

    private static void writeFields(Frame.ClientFrame frame, JsonGenerator g) throws IOException {
        string(g, "ref", frame.ref());
        if (frame instanceof Frame.Send send) {
            string(g, "id", send.id());
            string(g, "conversation", send.conversation());
            string(g, "to", send.to());
            string(g, "body", send.body());
            string(g, "format", send.format());
        } else if (frame instanceof Frame.Ack ack) {
            number(g, "up_to", ack.upTo());
        } else if (frame instanceof Frame.Read read) {
            string(g, "conversation", read.conversation());
            number(g, "up_to", read.upTo());
        } else if (frame instanceof Frame.Sync sync) {
            number(g, "since", sync.since());
            number(g, "limit", sync.limit());
        } else if (frame instanceof Frame.History history) {
            string(g, "conversation", history.conversation());
            number(g, "before", history.before());
            number(g, "limit", history.limit());
        }
        // Ping has nothing but its ref.
    }

    private static void writeFields(Frame.ServerFrame frame, JsonGenerator g) throws IOException {
        if (frame instanceof Frame.Msg msg) {
            g.writeNumberField("seq", msg.seq());
            string(g, "conversation", msg.conversation());
            g.writeNumberField("conv_seq", msg.convSeq());
            string(g, "from", msg.from());
            string(g, "id", msg.id());
            string(g, "body", msg.body());
            format(g, msg.format());
            g.writeNumberField("ts", msg.ts());
        } else if (frame instanceof Frame.Sent sent) {
            string(g, "ref", sent.ref());
            string(g, "id", sent.id());
            string(g, "conversation", sent.conversation());
            g.writeNumberField("conv_seq", sent.convSeq());
            g.writeNumberField("seq", sent.seq());
            g.writeNumberField("ts", sent.ts());
        } else if (frame instanceof Frame.Hello hello) {
            string(g, "session", hello.session());
            string(g, "user", hello.user());
            string(g, "node", hello.node());
            string(g, "region", hello.region());
            string(g, "home_region", hello.homeRegion());
            g.writeNumberField("epoch", hello.epoch());
            g.writeNumberField("head", hello.head());
            g.writeNumberField("heartbeat_ms", hello.heartbeatMs());
        } else if (frame instanceof Frame.Receipt receipt) {
            string(g, "conversation", receipt.conversation());
            string(g, "user", receipt.user());
            g.writeNumberField("read_up_to", receipt.readUpTo());
        } else if (frame instanceof Frame.Error error) {
            string(g, "code", error.code());
            string(g, "message", error.message());
            string(g, "ref", error.ref());
        } else if (frame instanceof Frame.Pong pong) {
            string(g, "ref", pong.ref());
        } else if (frame instanceof Frame.Synced synced) {
            string(g, "ref", synced.ref());
            g.writeNumberField("head", synced.head());
        } else if (frame instanceof Frame.HistoryPage page) {
            string(g, "ref", page.ref());
            string(g, "conversation", page.conversation());
            g.writeArrayFieldStart("messages");
            for (LogEntry entry : page.messages()) {
                write(entry, g);
            }
            g.writeEndArray();
        }
    }

    private static void format(JsonGenerator g, String format) throws IOException {
        if (!TEXT_FORMAT.equals(format)) {
            string(g, "format", format);
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator g, String name, Number value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.longValue());
        }
    }
}
