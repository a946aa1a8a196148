package dev.pigeon.protocol;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Frames of every type, with and without their optional fields, and their exact JSON spelling. */
final class FrameFixtures {
    static final LogEntry TEXT_ENTRY = new LogEntry("g:team", 7, "alice", "m1", "hi", null, 1700000000000L);
    static final LogEntry IMAGE_ENTRY =
            new LogEntry("g:team", 6, "bob", "m0", "https://cdn/x.jpg", "image/jpeg", 1699999999999L);

    private FrameFixtures() {
    }

    static Stream<Frame.ClientFrame> clientFrames() {
        return Stream.of(
                new Frame.Send("r1", "m1", "dm:alice:bob", null, "hi", null),
                new Frame.Send(null, "m2", null, "bob", "", "image/jpeg"),
                new Frame.Send(null, null, null, null, null, null),
                new Frame.Send("r3", "m3", "g:team", null, "héllo \uD83D\uDE00 \"quoted\" \n\u0000", "text"),
                new Frame.Ack("r1", 42L),
                new Frame.Ack(null, null),
                new Frame.Read("r1", "g:team", 7L),
                new Frame.Read(null, null, null),
                new Frame.Sync("r1", 10L, 50),
                new Frame.Sync(null, null, null),
                new Frame.Sync(null, 0L, 0),
                new Frame.History("r1", "dm:alice:bob", 100L, 20),
                new Frame.History(null, "g:team", null, null),
                new Frame.Ping("r1"),
                new Frame.Ping(null),
                new Frame.Ping(""));
    }

    static Stream<Frame.ServerFrame> serverFrames() {
        return Stream.of(
                new Frame.Hello("s1", "alice", "n1", "eu", "us", 3, 42, 25000),
                new Frame.Msg(42, "dm:alice:bob", 7, "alice", "m1", "hi", null, 1700000000000L),
                new Frame.Msg(Long.MAX_VALUE, "g:team", 1, "bob", "m2", "https://cdn/x.jpg", "image/jpeg", 0),
                new Frame.Sent("r1", "m1", "dm:alice:bob", 7, 42, 1700000000000L),
                new Frame.Sent(null, "m1", "g:team", 1, 1, 1),
                new Frame.Receipt("g:team", "bob", 7),
                new Frame.Error("too_large", "body too large", "m1"),
                new Frame.Error("unauthorized", "token expired", null),
                new Frame.Pong("r1"),
                new Frame.Pong(null),
                new Frame.Synced("r1", 42),
                new Frame.Synced(null, 0),
                new Frame.HistoryPage("r1", "g:team", List.of(TEXT_ENTRY, IMAGE_ENTRY)),
                new Frame.HistoryPage(null, "dm:alice:bob", List.of()));
    }

    /** Frames with their JSON exactly as the server or a client writes it (PROTOCOL.md names). */
    static Stream<Arguments> exactJson() {
        return Stream.of(
                arguments(new Frame.Sent("r1", "m1", "dm:alice:bob", 7, 42, 1700000000000L),
                        "{\"type\":\"sent\",\"ref\":\"r1\",\"id\":\"m1\",\"conversation\":\"dm:alice:bob\","
                                + "\"conv_seq\":7,\"seq\":42,\"ts\":1700000000000}"),
                arguments(new Frame.Hello("s1", "alice", "n1", "eu", "us", 3, 42, 25000),
                        "{\"type\":\"hello\",\"session\":\"s1\",\"user\":\"alice\",\"node\":\"n1\",\"region\":\"eu\","
                                + "\"home_region\":\"us\",\"epoch\":3,\"head\":42,\"heartbeat_ms\":25000}"),
                arguments(new Frame.Msg(42, "dm:alice:bob", 7, "alice", "m1", "hi", null, 1700000000000L),
                        "{\"type\":\"msg\",\"seq\":42,\"conversation\":\"dm:alice:bob\",\"conv_seq\":7,"
                                + "\"from\":\"alice\",\"id\":\"m1\",\"body\":\"hi\",\"ts\":1700000000000}"),
                arguments(new Frame.Msg(43, "g:team", 8, "bob", "m2", "https://cdn/x.jpg", "image/jpeg", 1),
                        "{\"type\":\"msg\",\"seq\":43,\"conversation\":\"g:team\",\"conv_seq\":8,\"from\":\"bob\","
                                + "\"id\":\"m2\",\"body\":\"https://cdn/x.jpg\",\"format\":\"image/jpeg\",\"ts\":1}"),
                arguments(new Frame.Receipt("g:team", "bob", 7),
                        "{\"type\":\"receipt\",\"conversation\":\"g:team\",\"user\":\"bob\",\"read_up_to\":7}"),
                arguments(new Frame.Error("bad_request", "id is required", "r9"),
                        "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"id is required\",\"ref\":\"r9\"}"),
                arguments(new Frame.Error("unauthorized", "no token", null),
                        "{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"no token\"}"),
                arguments(new Frame.Pong("p1"), "{\"type\":\"pong\",\"ref\":\"p1\"}"),
                arguments(new Frame.Synced(null, 42), "{\"type\":\"synced\",\"head\":42}"),
                arguments(new Frame.HistoryPage("h1", "g:team", List.of(TEXT_ENTRY, IMAGE_ENTRY)),
                        "{\"type\":\"history\",\"ref\":\"h1\",\"conversation\":\"g:team\",\"messages\":["
                                + "{\"conversation\":\"g:team\",\"conv_seq\":7,\"from\":\"alice\",\"id\":\"m1\","
                                + "\"body\":\"hi\",\"ts\":1700000000000},"
                                + "{\"conversation\":\"g:team\",\"conv_seq\":6,\"from\":\"bob\",\"id\":\"m0\","
                                + "\"body\":\"https://cdn/x.jpg\",\"format\":\"image/jpeg\",\"ts\":1699999999999}]}"),
                arguments(new Frame.Send(null, "m1", null, "bob", "hi", null),
                        "{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"body\":\"hi\"}"),
                arguments(new Frame.Send("r1", "m1", "g:team", null, "x", "image/png"),
                        "{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"m1\",\"conversation\":\"g:team\",\"body\":\"x\","
                                + "\"format\":\"image/png\"}"),
                arguments(new Frame.Ack(null, 42L), "{\"type\":\"ack\",\"up_to\":42}"),
                arguments(new Frame.Read("r2", "g:team", 7L),
                        "{\"type\":\"read\",\"ref\":\"r2\",\"conversation\":\"g:team\",\"up_to\":7}"),
                arguments(new Frame.Sync(null, 10L, 50), "{\"type\":\"sync\",\"since\":10,\"limit\":50}"),
                arguments(new Frame.Sync(null, null, null), "{\"type\":\"sync\"}"),
                arguments(new Frame.History("h1", "dm:alice:bob", 100L, null),
                        "{\"type\":\"history\",\"ref\":\"h1\",\"conversation\":\"dm:alice:bob\",\"before\":100}"),
                arguments(new Frame.Ping(null), "{\"type\":\"ping\"}"));
    }
}
