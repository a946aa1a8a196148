package dev.pigeon.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static dev.pigeon.protocol.ErrorCode.BAD_REQUEST;
import static dev.pigeon.protocol.ErrorCode.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile and malformed client input, decoded and validated as the edge does, must be refused
 * with the protocol's error code and the ref the error reply carries.
 */
class ClientFrameRejectionTest {
    private static final String SENDER = "alice";
    private static final int MAX_BODY = FrameValidator.Limits.DEFAULTS.maxBodyBytes();

    private final JsonFrameCodec codec = new JsonFrameCodec();
    private final FrameValidator validator = new FrameValidator();

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejections")
    void isRejected(String description, String json, ErrorCode code, String ref) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> validator.validate(codec.decodeClient(bytes), SENDER))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).as("code").isEqualTo(code);
                    assertThat(e.ref()).as("ref").isEqualTo(ref);
                    assertThat(e.toFrame().code()).isEqualTo(code.wireName());
                });
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                bad("malformed JSON", "{\"type\":\"ping\"", null),
                bad("empty input", "", null),
                bad("only whitespace", " \r\n", null),
                bad("JSON array", "[{\"type\":\"ping\"}]", null),
                bad("JSON string", "\"ping\"", null),
                bad("JSON null", "null", null),
                bad("trailing content", "{\"type\":\"ping\"} {\"type\":\"ping\"}", null),
                bad("duplicate field (refused while parsing)", "{\"type\":\"ping\",\"ref\":\"r\",\"type\":\"send\"}", null),
                bad("unknown type", "{\"type\":\"shout\",\"ref\":\"r\"}", "r"),
                bad("server type from a client", "{\"type\":\"sent\",\"ref\":\"r\"}", "r"),
                bad("missing type", "{\"ref\":\"r\",\"up_to\":1}", "r"),
                bad("type not a string", "{\"type\":1,\"ref\":\"r\"}", "r"),
                bad("ref not a string", "{\"type\":\"ping\",\"ref\":7}", null),
                bad("ref not a string on a send", send("\"ref\":7,\"id\":\"m1\",\"to\":\"bob\",\"body\":\"x\""), "m1"),
                bad("number as string", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":\"5\"}", "r"),
                bad("since as string", "{\"type\":\"sync\",\"ref\":\"r\",\"since\":\"0\"}", "r"),
                bad("limit as string", "{\"type\":\"sync\",\"ref\":\"r\",\"limit\":\"10\"}", "r"),
                bad("boolean for a number", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":true}", "r"),
                bad("float seq", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":1.5}", "r"),
                bad("integral float seq", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":1.0}", "r"),
                bad("exponent seq", "{\"type\":\"read\",\"ref\":\"r\",\"conversation\":\"g:t\",\"up_to\":1e3}", "r"),
                bad("seq beyond long", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":9223372036854775808}", "r"),
                bad("seq below long", "{\"type\":\"sync\",\"ref\":\"r\",\"since\":-9223372036854775809}", "r"),
                bad("huge number", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":" + "9".repeat(500) + "}", "r"),
                bad("limit beyond int", "{\"type\":\"sync\",\"ref\":\"r\",\"limit\":2147483648}", "r"),
                bad("negative up_to", "{\"type\":\"ack\",\"ref\":\"r\",\"up_to\":-1}", "r"),
                bad("missing up_to", "{\"type\":\"ack\",\"ref\":\"r\"}", "r"),
                bad("read missing up_to", "{\"type\":\"read\",\"ref\":\"r\",\"conversation\":\"g:t\"}", "r"),
                bad("read missing conversation", "{\"type\":\"read\",\"ref\":\"r\",\"up_to\":1}", "r"),
                bad("read non-canonical", "{\"type\":\"read\",\"ref\":\"r\",\"conversation\":\"dm:bob:alice\",\"up_to\":1}", "r"),
                bad("negative since", "{\"type\":\"sync\",\"ref\":\"r\",\"since\":-1}", "r"),
                bad("zero limit", "{\"type\":\"sync\",\"ref\":\"r\",\"limit\":0}", "r"),
                bad("negative limit", "{\"type\":\"history\",\"ref\":\"r\",\"conversation\":\"g:t\",\"limit\":-5}", "r"),
                bad("before zero", "{\"type\":\"history\",\"ref\":\"r\",\"conversation\":\"g:t\",\"before\":0}", "r"),
                bad("history missing conversation", "{\"type\":\"history\",\"ref\":\"r\"}", "r"),
                bad("history invalid conversation", "{\"type\":\"history\",\"ref\":\"r\",\"conversation\":\"g:\"}", "r"),
                bad("missing id", send("\"to\":\"bob\",\"body\":\"x\""), null),
                bad("missing id, with ref", send("\"ref\":\"r\",\"to\":\"bob\",\"body\":\"x\""), "r"),
                bad("id not a string", send("\"id\":42,\"to\":\"bob\",\"body\":\"x\""), null),
                bad("id not a string, with ref", send("\"ref\":\"r\",\"id\":42,\"to\":\"bob\",\"body\":\"x\""), "r"),
                bad("empty id", send("\"id\":\"\",\"to\":\"bob\",\"body\":\"x\""), ""),
                bad("blank id", send("\"id\":\"  \",\"to\":\"bob\",\"body\":\"x\""), "  "),
                bad("id with a control character", send("\"id\":\"m\\n1\",\"to\":\"bob\",\"body\":\"x\""), "m\n1"),
                bad("id of 65 chars", send("\"id\":\"" + "m".repeat(65) + "\",\"to\":\"bob\",\"body\":\"x\""),
                        "m".repeat(65)),
                bad("id with an unpaired surrogate", send("\"id\":\"m\\ud800\",\"to\":\"bob\",\"body\":\"x\""),
                        "m\ud800"),
                bad("missing body", send("\"id\":\"m1\",\"to\":\"bob\""), "m1"),
                bad("null body", send("\"id\":\"m1\",\"to\":\"bob\",\"body\":null"), "m1"),
                bad("body not a string", send("\"id\":\"m1\",\"to\":\"bob\",\"body\":{\"text\":\"x\"}"), "m1"),
                bad("body with an unpaired surrogate", send("\"id\":\"m1\",\"to\":\"bob\",\"body\":\"\\udc00x\""), "m1"),
                bad("missing conversation and to", send("\"id\":\"m1\",\"body\":\"x\""), "m1"),
                bad("conversation not a string", send("\"id\":\"m1\",\"conversation\":5,\"body\":\"x\""), "m1"),
                bad("to . ", toUser("."), "m1"),
                bad("to ..", toUser(".."), "m1"),
                bad("to of 65 chars", toUser("u".repeat(65)), "m1"),
                bad("to a/b", toUser("a/b"), "m1"),
                bad("to unicode", toUser("zoë"), "m1"),
                bad("to empty", toUser(""), "m1"),
                bad("to with a space", toUser("a b"), "m1"),
                bad("to with a colon", toUser("a:b"), "m1"),
                bad("non-canonical dm", inConversation("dm:bob:alice"), "m1"),
                bad("dm with one user", inConversation("dm:a"), "m1"),
                bad("dm with an empty user", inConversation("dm:a:"), "m1"),
                bad("dm with three users", inConversation("dm:alice:bob:carol"), "m1"),
                bad("empty group", inConversation("g:"), "m1"),
                bad("group ..", inConversation("g:.."), "m1"),
                bad("group a/b", inConversation("g:a/b"), "m1"),
                bad("unknown kind", inConversation("x:alice"), "m1"),
                bad("upper-case kind", inConversation("DM:alice:bob"), "m1"),
                bad("empty conversation", inConversation(""), "m1"),
                bad("conversation and to disagree", send("\"id\":\"m1\",\"conversation\":\"dm:alice:carol\","
                        + "\"to\":\"bob\",\"body\":\"x\""), "m1"),
                bad("empty format", withFormat("\"\""), "m1"),
                bad("format without subtype", withFormat("\"image\""), "m1"),
                bad("format with empty subtype", withFormat("\"image/\""), "m1"),
                bad("format with empty type", withFormat("\"/jpeg\""), "m1"),
                bad("format with parameters", withFormat("\"text/plain; charset=utf-8\""), "m1"),
                bad("format with a space", withFormat("\"image /jpeg\""), "m1"),
                bad("format with two slashes", withFormat("\"a/b/c\""), "m1"),
                bad("format upper-case TEXT", withFormat("\"TEXT\""), "m1"),
                bad("format of 128 chars", withFormat("\"image/" + "x".repeat(122) + "\""), "m1"),
                bad("format not a string", withFormat("5"), "m1"),
                tooLarge("ASCII body one byte over", "a".repeat(MAX_BODY + 1)),
                tooLarge("2-byte body one byte over", "é".repeat(MAX_BODY / 2) + "a"),
                tooLarge("3-byte body one byte over", "€".repeat(MAX_BODY / 3) + "é"),
                tooLarge("4-byte body one byte over", "\uD83D\uDE00".repeat(MAX_BODY / 4) + "a"),
                tooLarge("body far over", "x".repeat(4 * MAX_BODY)));
    }

    private static Arguments bad(String description, String json, String ref) {
        return arguments(description, json, BAD_REQUEST, ref);
    }

    private static Arguments tooLarge(String description, String body) {
        return arguments(description, send("\"id\":\"m1\",\"to\":\"bob\",\"body\":\"" + body + "\""), TOO_LARGE, "m1");
    }

    private static String send(String fields) {
        return "{\"type\":\"send\"," + fields + "}";
    }

    private static String toUser(String to) {
        return send("\"id\":\"m1\",\"to\":\"" + to + "\",\"body\":\"x\"");
    }

    private static String inConversation(String conversation) {
        return send("\"id\":\"m1\",\"conversation\":\"" + conversation + "\",\"body\":\"x\"");
    }

    private static String withFormat(String format) {
        return send("\"id\":\"m1\",\"to\":\"bob\",\"body\":\"x\",\"format\":" + format);
    }
}
