package dev.pigeon.protocol;

import dev.pigeon.protocol.proto.AckFrame;
import dev.pigeon.protocol.proto.ErrorFrame;
import dev.pigeon.protocol.proto.HelloFrame;
import dev.pigeon.protocol.proto.HistoryFrame;
import dev.pigeon.protocol.proto.HistoryPageFrame;
import dev.pigeon.protocol.proto.MsgFrame;
import dev.pigeon.protocol.proto.PingFrame;
import dev.pigeon.protocol.proto.PongFrame;
import dev.pigeon.protocol.proto.ReadFrame;
import dev.pigeon.protocol.proto.ReceiptFrame;
import dev.pigeon.protocol.proto.SendFrame;
import dev.pigeon.protocol.proto.SentFrame;
import dev.pigeon.protocol.proto.SyncFrame;
import dev.pigeon.protocol.proto.SyncedFrame;

import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Maps {@link Frame} records to the generated protobuf messages of {@code pigeon/v1/frames.proto}
 * and back. An unset {@code optional} field is null in the record and a null field stays unset,
 * so a frame keeps its meaning across both wire formats. Required server-frame fields are plain
 * proto3 fields: unset reads as zero or the empty string, as proto3 defines.
 */
final class ProtoFrames {

    private ProtoFrames() {
    }

    static dev.pigeon.protocol.proto.Frame toProto(Frame frame) {
        var proto = dev.pigeon.protocol.proto.Frame.newBuilder();
        if (frame instanceof Frame.Msg m) {
            proto.setMsg(msg(m));
        } else if (frame instanceof Frame.Send s) {
            var b = SendFrame.newBuilder();
            set(s.ref(), b::setRef);
            set(s.id(), b::setId);
            set(s.conversation(), b::setConversation);
            set(s.to(), b::setTo);
            set(s.body(), b::setBody);
            set(s.format(), b::setFormat);
            proto.setSend(b);
        } else if (frame instanceof Frame.Ack a) {
            var b = AckFrame.newBuilder();
            set(a.ref(), b::setRef);
            set(a.upTo(), b::setUpTo);
            proto.setAck(b);
        } else if (frame instanceof Frame.Read r) {
            var b = ReadFrame.newBuilder();
            set(r.ref(), b::setRef);
            set(r.conversation(), b::setConversation);
            set(r.upTo(), b::setUpTo);
            proto.setRead(b);
        } else if (frame instanceof Frame.Sync s) {
            var b = SyncFrame.newBuilder();
            set(s.ref(), b::setRef);
            set(s.since(), b::setSince);
            set(s.limit(), b::setLimit);
            proto.setSync(b);
        } else if (frame instanceof Frame.History h) {
            var b = HistoryFrame.newBuilder();
            set(h.ref(), b::setRef);
            set(h.conversation(), b::setConversation);
            set(h.before(), b::setBefore);
            set(h.limit(), b::setLimit);
            proto.setHistory(b);
        } else if (frame instanceof Frame.Ping p) {
            var b = PingFrame.newBuilder();
            set(p.ref(), b::setRef);
            proto.setPing(b);
        } else if (frame instanceof Frame.Sent s) {
            var b = SentFrame.newBuilder().setConvSeq(s.convSeq()).setSeq(s.seq()).setTs(s.ts());
            set(s.ref(), b::setRef);
            set(s.id(), b::setId);
            set(s.conversation(), b::setConversation);
            proto.setSent(b);
        } else if (frame instanceof Frame.Hello h) {
            var b = HelloFrame.newBuilder().setEpoch(h.epoch()).setHead(h.head()).setHeartbeatMs(h.heartbeatMs());
            set(h.session(), b::setSession);
            set(h.user(), b::setUser);
            set(h.node(), b::setNode);
            set(h.region(), b::setRegion);
            set(h.homeRegion(), b::setHomeRegion);
            proto.setHello(b);
        } else if (frame instanceof Frame.Receipt r) {
            var b = ReceiptFrame.newBuilder().setReadUpTo(r.readUpTo());
            set(r.conversation(), b::setConversation);
            set(r.user(), b::setUser);
            proto.setReceipt(b);
        } else if (frame instanceof Frame.Error e) {
            var b = ErrorFrame.newBuilder();
            set(e.code(), b::setCode);
            set(e.message(), b::setMessage);
            set(e.ref(), b::setRef);
            proto.setError(b);
        } else if (frame instanceof Frame.Pong p) {
            var b = PongFrame.newBuilder();
            set(p.ref(), b::setRef);
            proto.setPong(b);
        } else if (frame instanceof Frame.Synced s) {
            var b = SyncedFrame.newBuilder().setHead(s.head());
            set(s.ref(), b::setRef);
            proto.setSynced(b);
        } else if (frame instanceof Frame.HistoryPage h) {
            var b = HistoryPageFrame.newBuilder();
            set(h.ref(), b::setRef);
            set(h.conversation(), b::setConversation);
            h.messages().forEach(entry -> b.addMessages(logEntry(entry)));
            proto.setHistoryPage(b);
        }
        return proto.build();
    }

    /** The client frame {@code proto} holds, or {@code bad_request} if it holds none. */
    static Frame.ClientFrame client(dev.pigeon.protocol.proto.Frame proto) {
        switch (proto.getKindCase()) {
            case SEND: {
                SendFrame s = proto.getSend();
                return new Frame.Send(s.hasRef() ? s.getRef() : null, s.hasId() ? s.getId() : null,
                        s.hasConversation() ? s.getConversation() : null, s.hasTo() ? s.getTo() : null,
                        s.hasBody() ? s.getBody() : null, s.hasFormat() ? s.getFormat() : null);
            }
            case ACK: {
                AckFrame a = proto.getAck();
                return new Frame.Ack(a.hasRef() ? a.getRef() : null, a.hasUpTo() ? a.getUpTo() : null);
            }
            case READ: {
                ReadFrame r = proto.getRead();
                return new Frame.Read(r.hasRef() ? r.getRef() : null,
                        r.hasConversation() ? r.getConversation() : null, r.hasUpTo() ? r.getUpTo() : null);
            }
            case SYNC: {
                SyncFrame s = proto.getSync();
                return new Frame.Sync(s.hasRef() ? s.getRef() : null, s.hasSince() ? s.getSince() : null,
                        s.hasLimit() ? s.getLimit() : null);
            }
            case HISTORY: {
                HistoryFrame h = proto.getHistory();
                return new Frame.History(h.hasRef() ? h.getRef() : null,
                        h.hasConversation() ? h.getConversation() : null, h.hasBefore() ? h.getBefore() : null,
                        h.hasLimit() ? h.getLimit() : null);
            }
            case PING:
                return new Frame.Ping(proto.getPing().hasRef() ? proto.getPing().getRef() : null);
            default:
                throw wrongDirection(proto, "client");
        }
    }

    /** The server frame {@code proto} holds, or {@code bad_request} if it holds none. */
    static Frame.ServerFrame server(dev.pigeon.protocol.proto.Frame proto) {
        switch (proto.getKindCase()) {
            case HELLO: {
                HelloFrame h = proto.getHello();
                return new Frame.Hello(h.getSession(), h.getUser(), h.getNode(), h.getRegion(), h.getHomeRegion(),
                        h.getEpoch(), h.getHead(), h.getHeartbeatMs());
            }
            case MSG: {
                MsgFrame m = proto.getMsg();
                return new Frame.Msg(m.getSeq(), m.getConversation(), m.getConvSeq(), m.getFrom(), m.getId(),
                        m.getBody(), m.hasFormat() ? m.getFormat() : null, m.getTs());
            }
            case SENT: {
                SentFrame s = proto.getSent();
                return new Frame.Sent(s.hasRef() ? s.getRef() : null, s.getId(), s.getConversation(),
                        s.getConvSeq(), s.getSeq(), s.getTs());
            }
            case RECEIPT: {
                ReceiptFrame r = proto.getReceipt();
                return new Frame.Receipt(r.getConversation(), r.getUser(), r.getReadUpTo());
            }
            case ERROR: {
                ErrorFrame e = proto.getError();
                return new Frame.Error(e.getCode(), e.getMessage(), e.hasRef() ? e.getRef() : null);
            }
            case PONG:
                return new Frame.Pong(proto.getPong().hasRef() ? proto.getPong().getRef() : null);
            case SYNCED: {
                SyncedFrame s = proto.getSynced();
                return new Frame.Synced(s.hasRef() ? s.getRef() : null, s.getHead());
            }
            case HISTORY_PAGE: {
                HistoryPageFrame h = proto.getHistoryPage();
                return new Frame.HistoryPage(h.hasRef() ? h.getRef() : null, h.getConversation(),
                        h.getMessagesList().stream().map(ProtoFrames::logEntry).toList());
            }
            default:
                throw wrongDirection(proto, "server");
        }
    }

    private static MsgFrame msg(Frame.Msg m) {
        var b = MsgFrame.newBuilder().setSeq(m.seq()).setConvSeq(m.convSeq()).setTs(m.ts());
        set(m.conversation(), b::setConversation);
        set(m.from(), b::setFrom);
        set(m.id(), b::setId);
        set(m.body(), b::setBody);
        set(m.format(), b::setFormat);
        return b.build();
    }

    private static dev.pigeon.protocol.proto.LogEntry logEntry(LogEntry entry) {
        var b = dev.pigeon.protocol.proto.LogEntry.newBuilder().setConvSeq(entry.convSeq()).setTs(entry.ts());
        set(entry.conversation(), b::setConversation);
        set(entry.from(), b::setFrom);
        set(entry.id(), b::setId);
        set(entry.body(), b::setBody);
        set(entry.format(), b::setFormat);
        return b.build();
    }

    private static LogEntry logEntry(dev.pigeon.protocol.proto.LogEntry e) {
        return new LogEntry(e.getConversation(), e.getConvSeq(), e.getFrom(), e.getId(), e.getBody(),
                e.hasFormat() ? e.getFormat() : null, e.getTs());
    }

    private static ProtocolException wrongDirection(dev.pigeon.protocol.proto.Frame proto, String direction) {
        if (proto.getKindCase() == dev.pigeon.protocol.proto.Frame.KindCase.KIND_NOT_SET) {
            return ProtocolException.badRequest("frame has no known type");
        }
        return ProtocolException.badRequest(
                "unknown " + direction + " frame type '" + proto.getKindCase().name().toLowerCase(java.util.Locale.ROOT) + "'");
    }

    private static void set(String value, Consumer<String> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static void set(Long value, LongConsumer setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static void set(Integer value, IntConsumer setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
