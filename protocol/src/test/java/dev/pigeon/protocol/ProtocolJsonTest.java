package dev.pigeon.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtocolJsonTest {
    private final ObjectMapper mapper = ProtocolJson.mapper();

    record InboxPage(List<Frame.Msg> messages, long head) {
    }

    record ConversationPage(String conversation, List<LogEntry> messages) {
    }

    record Presence(String user, boolean online, String homeRegion, Long lastSeen) {
    }

    record GroupRequest(String group, List<String> members) {
    }

    @Test
    void messagesInsideABodyAreMsgFrames() throws Exception {
        InboxPage page = new InboxPage(List.of(new Frame.Msg(42, "dm:alice:bob", 7, "alice", "m1", "hi", null, 5)), 42);

        String json = mapper.writeValueAsString(page);

        assertThat(json).isEqualTo("{\"messages\":[{\"type\":\"msg\",\"seq\":42,\"conversation\":\"dm:alice:bob\","
                + "\"conv_seq\":7,\"from\":\"alice\",\"id\":\"m1\",\"body\":\"hi\",\"ts\":5}],\"head\":42}");
        assertThat(mapper.readValue(json, InboxPage.class)).isEqualTo(page);
    }

    @Test
    void historyEntriesInsideABodyHaveNoSeqAndNoType() throws Exception {
        ConversationPage page = new ConversationPage("g:team", List.of(FrameFixtures.TEXT_ENTRY));

        String json = mapper.writeValueAsString(page);

        assertThat(json).isEqualTo("{\"conversation\":\"g:team\",\"messages\":[{\"conversation\":\"g:team\","
                + "\"conv_seq\":7,\"from\":\"alice\",\"id\":\"m1\",\"body\":\"hi\",\"ts\":1700000000000}]}");
        assertThat(mapper.readValue(json, ConversationPage.class)).isEqualTo(page);
    }

    @Test
    void propertiesAreSnakeCaseAndNullsAreOmitted() throws Exception {
        assertThat(mapper.writeValueAsString(new Presence("bob", true, "eu", null)))
                .isEqualTo("{\"user\":\"bob\",\"online\":true,\"home_region\":\"eu\"}");
        assertThat(mapper.readValue("{\"user\":\"bob\",\"online\":false,\"home_region\":\"us\",\"last_seen\":9,"
                + "\"extra\":[1]}", Presence.class)).isEqualTo(new Presence("bob", false, "us", 9L));
    }

    @Test
    void frameTypesReadThroughTheMapperAreChecked() throws Exception {
        assertThat(mapper.readValue("{\"type\":\"ping\",\"ref\":\"r\"}", Frame.ClientFrame.class))
                .isEqualTo(new Frame.Ping("r"));
        assertThat(ProtocolJson.read("{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"body\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8), Frame.Send.class))
                .isEqualTo(new Frame.Send(null, "m1", null, "bob", "x", null));
        assertThatThrownBy(() -> ProtocolJson.read(utf8("{\"type\":\"ack\",\"up_to\":1}"), Frame.Send.class))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aGoodBodyIsReadFromAStream() {
        GroupRequest request = ProtocolJson.read(new ByteArrayInputStream(
                utf8("{\"group\":\"team\",\"members\":[\"a\",\"b\"]}")), GroupRequest.class);

        assertThat(request).isEqualTo(new GroupRequest("team", List.of("a", "b")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"group\":5,\"members\":[]}",
            "{\"group\":\"team\",\"members\":[1]}",
            "{\"group\":\"team\",\"members\":\"a\"}",
            "{\"group\":true}",
            "{\"group\":\"team\"",
            "{\"group\":\"team\"} x",
            "[]",
    })
    void mistypedBodiesAreBadRequests(String json) {
        assertThatThrownBy(() -> ProtocolJson.read(utf8(json), GroupRequest.class))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith("malformed JSON");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"user\":\"b\",\"online\":\"true\"}", "{\"user\":\"b\",\"online\":true,\"last_seen\":\"9\"}",
            "{\"user\":\"b\",\"online\":true,\"last_seen\":9.5}", "{\"user\":\"b\",\"online\":null}"})
    void scalarsAreNotCoerced(String json) {
        assertThatThrownBy(() -> ProtocolJson.read(utf8(json), Presence.class))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
