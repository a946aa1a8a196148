package dev.pigeon.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FrameValidatorTest {
    private static final int MAX_BODY = FrameValidator.Limits.DEFAULTS.maxBodyBytes();

    private final FrameValidator validator = new FrameValidator();

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("normalisations")
    void acceptsAndNormalises(String description, String sender, Frame.ClientFrame frame,
                              Frame.ClientFrame normalised) {
        assertThat(validator.validate(frame, sender)).isEqualTo(normalised);
    }

    static Stream<Arguments> normalisations() {
        String body = "x".repeat(MAX_BODY);
        return Stream.of(
                same("send to a conversation", new Frame.Send("r", "m1", "g:team", null, "hi", null)),
                same("send with an empty body", new Frame.Send(null, "m1", "g:team", null, "", null)),
                same("send with a media type", new Frame.Send(null, "m1", "g:team", null, "u", "image/jpeg")),
                same("send with a vendor media type",
                        new Frame.Send(null, "m1", "g:team", null, "u", "application/vnd.api+json")),
                same("send with a 127-char media type",
                        new Frame.Send(null, "m1", "g:team", null, "u", "image/" + "x".repeat(121))),
                same("send with a body of exactly the limit", new Frame.Send(null, "m1", "g:t", null, body, null)),
                same("send with a 2-byte body of exactly the limit",
                        new Frame.Send(null, "m1", "g:t", null, "é".repeat(MAX_BODY / 2), null)),
                same("send with a 4-byte body of exactly the limit",
                        new Frame.Send(null, "m1", "g:t", null, "\uD83D\uDE00".repeat(MAX_BODY / 4), null)),
                same("send with an id of 64 chars", new Frame.Send(null, "m".repeat(64), "g:t", null, "x", null)),
                same("send with an id of 64 emoji",
                        new Frame.Send(null, "\uD83D\uDE00".repeat(64), "g:t", null, "x", null)),
                same("send with a spaced id", new Frame.Send(null, " m 1 ", "g:t", null, "x", null)),
                arguments("text format is dropped", "alice",
                        new Frame.Send(null, "m1", "g:t", null, "x", "text"),
                        new Frame.Send(null, "m1", "g:t", null, "x", null)),
                arguments("to derives the conversation", "alice",
                        new Frame.Send(null, "m1", null, "bob", "x", null),
                        new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null)),
                arguments("to derives it in canonical order", "bob",
                        new Frame.Send("r", "m1", null, "alice", "x", null),
                        new Frame.Send("r", "m1", "dm:alice:bob", null, "x", null)),
                arguments("to oneself is notes to self", "alice",
                        new Frame.Send(null, "m1", null, "alice", "x", null),
                        new Frame.Send(null, "m1", "dm:alice:alice", null, "x", null)),
                arguments("conversation and to agreeing", "bob",
                        new Frame.Send(null, "m1", "dm:alice:bob", "alice", "x", null),
                        new Frame.Send(null, "m1", "dm:alice:bob", null, "x", null)),
                same("ack of zero", new Frame.Ack(null, 0L)),
                same("read", new Frame.Read("r", "dm:alice:bob", 3L)),
                arguments("sync defaults", "alice", new Frame.Sync("r", null, null), new Frame.Sync("r", 0L, 100)),
                same("sync of one", new Frame.Sync(null, 5L, 1)),
                arguments("sync limit clamped", "alice", new Frame.Sync(null, 5L, 5000), new Frame.Sync(null, 5L, 1000)),
                arguments("history defaults", "alice", new Frame.History(null, "g:t", null, null),
                        new Frame.History(null, "g:t", null, 100)),
                arguments("history limit clamped", "alice", new Frame.History(null, "g:t", 1L, Integer.MAX_VALUE),
                        new Frame.History(null, "g:t", 1L, 1000)),
                same("ping", new Frame.Ping("r")));
    }

    @Test
    void limitsAreConfigurable() {
        FrameValidator small = new FrameValidator(new FrameValidator.Limits(4, 10, 5));

        assertThat(small.sync(new Frame.Sync(null, null, 50))).isEqualTo(new Frame.Sync(null, 0L, 10));
        assertThat(small.history(new Frame.History(null, "g:t", null, null)).limit()).isEqualTo(5);
        assertThat(small.send(new Frame.Send(null, "m", "g:t", null, "éé", null), "a").body()).isEqualTo("éé");
        assertThatThrownBy(() -> small.send(new Frame.Send("r", "m", "g:t", null, "ééa", null), "a"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                    assertThat(e.ref()).isEqualTo("r");
                });
    }

    @Test
    void inconsistentLimitsAreRefused() {
        assertThatThrownBy(() -> new FrameValidator.Limits(10, 10, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameValidator.Limits(10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreTheProtocolDefaults() {
        assertThat(FrameValidator.Limits.DEFAULTS).isEqualTo(new FrameValidator.Limits(65536, 1000, 100));
    }

    private static Arguments same(String description, Frame.ClientFrame frame) {
        return arguments(description, "alice", frame, frame);
    }
}
