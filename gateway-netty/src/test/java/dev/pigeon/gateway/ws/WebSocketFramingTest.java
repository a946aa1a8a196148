package dev.pigeon.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.pigeon.gateway.ws.WebSocketWire.BINARY;
import static dev.pigeon.gateway.ws.WebSocketWire.CLOSE;
import static dev.pigeon.gateway.ws.WebSocketWire.CONTINUATION;
import static dev.pigeon.gateway.ws.WebSocketWire.PING;
import static dev.pigeon.gateway.ws.WebSocketWire.PONG;
import static dev.pigeon.gateway.ws.WebSocketWire.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketFramingTest {

    private static final int MAX_FRAME_BYTES = 1024;
    private static final byte[] INVALID_UTF8 = {(byte) 0xce, (byte) 0xba, (byte) 0xe1, (byte) 0xbd, (byte) 0xb9,
            (byte) 0xcf, (byte) 0x83, (byte) 0xce, (byte) 0xbc, (byte) 0xce, (byte) 0xb5, (byte) 0xed, (byte) 0xa0,
            (byte) 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64};

    private final EmbeddedChannel server =
            newServer(WebSocketFraming.Settings.defaults().withMaxFrameBytes(MAX_FRAME_BYTES));
    private final WebSocketWire client = new WebSocketWire(server);

    private static EmbeddedChannel newServer(WebSocketFraming.Settings settings) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192));
        WebSocketFraming.install(channel.pipeline(), settings);
        return channel;
    }

    @AfterEach
    void releaseEverything() {
        server.finishAndReleaseAll();
        client.finish();
    }

    private void open() {
        FullHttpResponse response = client.handshake("/v1/ws", null);
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.SWITCHING_PROTOCOLS);
        } finally {
            response.release();
        }
    }

    /** The one message that reached the handlers after the framing. */
    private WebSocketFrame onlyMessage() {
        WebSocketFrame message = server.readInbound();
        assertThat(message).isNotNull();
        assertThat((Object) server.readInbound()).isNull();
        return message;
    }

    /** The server closed with {@code code} (as the client saw it) and passed nothing on. */
    private void assertClosedWith(int code) {
        assertThat(client.receivedCloseCode()).isEqualTo(code);
        assertThat(server.isOpen()).isFalse();
        assertThat((Object) server.readInbound()).isNull();
    }

    private static byte[] bytes(int length, char fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    @Nested
    class Handshake {

        private String acceptedSubprotocol(String uri, String offered) {
            FullHttpResponse response = client.handshake(uri, offered);
            try {
                assertThat(response.status()).isEqualTo(HttpResponseStatus.SWITCHING_PROTOCOLS);
                return response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
            } finally {
                response.release();
            }
        }

        @Test
        void noSubprotocolOfferedIsAcceptedWithoutOneAndSpeaksTheDefault() {
            String selected = acceptedSubprotocol("/v1/ws", null);

            assertThat(selected).isNull();
            assertThat(WebSocketFraming.Settings.defaults().subprotocolOrDefault(selected)).isEqualTo("pigeon.v1.json");
        }

        @Test
        void offeredSubprotocolIsSelected() {
            assertThat(acceptedSubprotocol("/v1/ws", "pigeon.v1.proto")).isEqualTo("pigeon.v1.proto");
        }

        @Test
        void firstSupportedOfSeveralOfferedIsSelected() {
            assertThat(acceptedSubprotocol("/v1/ws", "chat.v9, pigeon.v1.json, pigeon.v1.proto"))
                    .isEqualTo("pigeon.v1.json");
        }

        @Test
        void onlyUnsupportedSubprotocolsOfferedIsAcceptedWithoutOne() {
            assertThat(acceptedSubprotocol("/v1/ws", "chat.v9")).isNull();
        }

        @Test
        void queryStringIsAccepted() {
            assertThat(acceptedSubprotocol("/v1/ws?since=42&token=abc", null)).isNull();
        }

        private void assertRefusedWith(HttpResponseStatus status, String request) {
            FullHttpResponse response = client.sendHttp(request);
            try {
                assertThat(response.status()).isEqualTo(status);
                if (status.equals(HttpResponseStatus.UPGRADE_REQUIRED)) {
                    assertThat(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION)).isEqualTo("13");
                }
            } finally {
                response.release();
            }
            assertThat(server.isOpen()).isFalse();
        }

        @Test
        void requestWithoutAKeyGets400() {
            assertRefusedWith(HttpResponseStatus.BAD_REQUEST, "GET /v1/ws HTTP/1.1\r\nHost: localhost\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        }

        @Test
        void requestWithoutUpgradeGets400() {
            assertRefusedWith(HttpResponseStatus.BAD_REQUEST, "GET /v1/ws HTTP/1.1\r\nHost: localhost\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "Sec-WebSocket-Version: 8\r\n", "Sec-WebSocket-Version: 99\r\n"})
        void versionOtherThan13Gets426(String versionHeader) {
            assertRefusedWith(HttpResponseStatus.UPGRADE_REQUIRED, "GET /v1/ws HTTP/1.1\r\nHost: localhost\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + versionHeader + "\r\n");
        }
    }

    @Nested
    class Messages {

        @Test
        void textFrameArrivesAsText() {
            open();
            client.sendText("héllo");

            WebSocketFrame message = onlyMessage();
            try {
                assertThat(message).isInstanceOf(TextWebSocketFrame.class);
                assertThat(((TextWebSocketFrame) message).text()).isEqualTo("héllo");
            } finally {
                message.release();
            }
        }

        @Test
        void binaryFrameArrivesAsBinary() {
            open();
            client.send(BINARY, new byte[] {0, 1, (byte) 0xff});

            WebSocketFrame message = onlyMessage();
            try {
                assertThat(message).isInstanceOf(BinaryWebSocketFrame.class);
                byte[] content = new byte[message.content().readableBytes()];
                message.content().getBytes(0, content);
                assertThat(content).containsExactly(0, 1, 0xff);
            } finally {
                message.release();
            }
        }

        @Test
        void fragmentedMessageIsReassembledAndAPingBetweenFragmentsIsAnswered() {
            open();
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            client.send(TEXT, false, new byte[] {'a', euro[0]});
            client.send(PING, "are you there".getBytes(StandardCharsets.US_ASCII));
            client.send(CONTINUATION, false, new byte[] {euro[1], euro[2]});
            client.send(CONTINUATION, true, new byte[] {'b'});

            WebSocketFrame message = onlyMessage();
            try {
                assertThat(message).isInstanceOf(TextWebSocketFrame.class);
                assertThat(message.isFinalFragment()).isTrue();
                assertThat(((TextWebSocketFrame) message).text()).isEqualTo("a€b");
            } finally {
                message.release();
            }
            List<WebSocketFrame> replies = client.received();
            try {
                assertThat(replies).singleElement().isInstanceOf(PongWebSocketFrame.class);
                assertThat(replies.get(0).content().toString(StandardCharsets.US_ASCII)).isEqualTo("are you there");
            } finally {
                replies.forEach(ReferenceCountUtil::release);
            }
        }

        @Test
        void pongIsDropped() {
            open();
            client.send(PONG, new byte[] {1});

            assertThat((Object) server.readInbound()).isNull();
            assertThat(server.isOpen()).isTrue();
        }

        @Test
        void messageOfExactlyTheLimitIsRead() {
            open();
            client.send(BINARY, false, bytes(MAX_FRAME_BYTES / 2, 'x'));
            client.send(CONTINUATION, true, bytes(MAX_FRAME_BYTES / 2, 'y'));

            WebSocketFrame message = onlyMessage();
            try {
                assertThat(message.content().readableBytes()).isEqualTo(MAX_FRAME_BYTES);
            } finally {
                message.release();
            }
        }
    }

    @Nested
    class Failures {

        @Test
        void frameOverTheLimitClosesWith1009() {
            open();
            client.send(TEXT, bytes(MAX_FRAME_BYTES + 1, 'x'));

            assertClosedWith(1009);
        }

        @Test
        void fragmentedMessageOverTheLimitClosesWith1009() {
            open();
            client.send(BINARY, false, bytes(MAX_FRAME_BYTES / 2, 'x'));
            client.send(CONTINUATION, false, bytes(MAX_FRAME_BYTES / 2, 'x'));
            client.send(CONTINUATION, true, new byte[] {'x'});

            assertClosedWith(1009);
        }

        @Test
        void invalidUtf8TextClosesWith1007() {
            open();
            client.send(TEXT, INVALID_UTF8);

            assertClosedWith(1007);
        }

        @Test
        void invalidUtf8InALaterFragmentClosesWith1007() {
            open();
            client.send(TEXT, false, "fine so far".getBytes(StandardCharsets.UTF_8));
            client.send(CONTINUATION, true, INVALID_UTF8);

            assertClosedWith(1007);
        }

        @Test
        void textEndingInsideACharacterClosesWith1007() {
            open();
            client.send(TEXT, new byte[] {'a', (byte) 0xe2, (byte) 0x82});

            assertClosedWith(1007);
        }

        @Test
        void unmaskedFrameClosesWith1002() {
            open();
            ByteBuf unmasked = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 1, 'a'});
            server.writeInbound(unmasked);

            assertClosedWith(1002);
        }

        @Test
        void reservedBitWithoutAnExtensionClosesWith1002() {
            open();
            ByteBuf compressed = WebSocketWire.frame(TEXT, true, new byte[] {'a'});
            compressed.setByte(0, compressed.getByte(0) | 0x40);
            server.writeInbound(compressed);

            assertClosedWith(1002);
        }

        @Test
        void fragmentedPingClosesWith1002() {
            open();
            client.send(PING, false, new byte[] {1});

            assertClosedWith(1002);
        }

        @Test
        void pingOver125BytesClosesWith1002() {
            open();
            client.send(PING, bytes(126, 'p'));

            assertClosedWith(1002);
        }

        @Test
        void reservedOpcodeClosesWith1002() {
            open();
            client.send(0x3, new byte[] {1});

            assertClosedWith(1002);
        }

        @Test
        void continuationWithoutAStartClosesWith1002() {
            open();
            client.send(CONTINUATION, true, new byte[] {'a'});

            assertClosedWith(1002);
        }
    }

    @Nested
    class FailFastUtf8 {

        private static final byte[] VALID_PREFIX = {(byte) 0xce, (byte) 0xba, (byte) 0xe1, (byte) 0xbd, (byte) 0xb9};

        @Test
        void invalidByteInAFrameNotYetCompleteClosesWith1007AtOnce() {
            open();
            byte[] payload = new byte[200];
            Arrays.fill(payload, (byte) 'a');
            System.arraycopy(VALID_PREFIX, 0, payload, 0, VALID_PREFIX.length);
            payload[VALID_PREFIX.length] = (byte) 0xf4;
            payload[VALID_PREFIX.length + 1] = (byte) 0x90; // U+110000: past the last code point
            ByteBuf wire = WebSocketWire.frame(TEXT, true, payload);
            int throughTheBadByte = 2 + 2 + 4 + VALID_PREFIX.length + 2;

            server.writeInbound(wire.readRetainedSlice(throughTheBadByte));
            wire.release();

            assertThat(client.receivedCloseCode()).isEqualTo(1007);
            assertThat(server.isOpen()).isFalse();
            assertThat((Object) server.readInbound()).isNull();
        }

        @Test
        void messageEndingInsideACharacterOnAnEmptyFinalFragmentClosesWith1007() {
            open();
            client.send(TEXT, false, new byte[] {'a', (byte) 0xe2, (byte) 0x82});
            client.send(CONTINUATION, true, new byte[0]);

            assertThat(client.receivedCloseCode()).isEqualTo(1007);
            assertThat((Object) server.readInbound()).isNull();
        }

        @Test
        void validFramesBeforeAnInvalidOneInTheSameReadAreDelivered() {
            open();
            server.writeInbound(Unpooled.wrappedBuffer(
                    WebSocketWire.frame(TEXT, true, "first".getBytes(StandardCharsets.UTF_8)),
                    WebSocketWire.frame(TEXT, true, INVALID_UTF8)));

            WebSocketFrame message = onlyMessage();
            try {
                assertThat(((TextWebSocketFrame) message).text()).isEqualTo("first");
            } finally {
                message.release();
            }
            assertThat(client.receivedCloseCode()).isEqualTo(1007);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3, 7, 100})
        void validTextArrivingInAnyPiecesIsDeliveredWhole(int chop) {
            WebSocketFraming.Settings settings = WebSocketFraming.Settings.defaults().withMaxFrameBytes(1 << 20);
            EmbeddedChannel bigServer = newServer(settings);
            WebSocketWire bigClient = new WebSocketWire(bigServer);
            try {
                bigClient.handshake("/v1/ws", null).release();
                String small = "κόσμε 🐦 ".repeat(3);
                String medium = "世界🐦".repeat(40);
                String large = "κόσμε🐦".repeat(7_000);
                ByteBuf wire = Unpooled.wrappedBuffer(
                        WebSocketWire.frame(TEXT, true, small.getBytes(StandardCharsets.UTF_8)),
                        WebSocketWire.frame(PING, true, new byte[] {1, 2}),
                        WebSocketWire.frame(TEXT, false, medium.getBytes(StandardCharsets.UTF_8)),
                        WebSocketWire.frame(CONTINUATION, true, large.getBytes(StandardCharsets.UTF_8)),
                        WebSocketWire.frame(BINARY, true, INVALID_UTF8));
                while (wire.isReadable()) {
                    bigServer.writeInbound(wire.readRetainedSlice(Math.min(chop, wire.readableBytes())));
                }
                wire.release();

                TextWebSocketFrame first = bigServer.readInbound();
                TextWebSocketFrame second = bigServer.readInbound();
                BinaryWebSocketFrame third = bigServer.readInbound();
                try {
                    assertThat(first.text()).isEqualTo(small);
                    assertThat(second.text()).isEqualTo(medium + large);
                    assertThat(third.content().readableBytes()).isEqualTo(INVALID_UTF8.length);
                    assertThat(bigServer.isOpen()).isTrue();
                } finally {
                    ReferenceCountUtil.release(first);
                    ReferenceCountUtil.release(second);
                    ReferenceCountUtil.release(third);
                }
            } finally {
                bigServer.finishAndReleaseAll();
                bigClient.finish();
            }
        }
    }

    @Nested
    class ClosingHandshake {

        @ParameterizedTest
        @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
                4401, 4999})
        void validCloseIsEchoedWithItsCode(int code) {
            open();
            client.sendClose(code, "bye".getBytes(StandardCharsets.UTF_8));

            assertClosedWith(code);
        }

        @Test
        void emptyCloseIsAnsweredWithAnEmptyClose() {
            open();
            client.send(CLOSE, new byte[0]);

            assertClosedWith(-1);
        }

        @Test
        void closeWithAReasonOfExactly123BytesIsEchoed() {
            open();
            client.sendClose(1000, bytes(CloseFrameValidator.MAX_REASON_BYTES, 'r'));

            assertClosedWith(1000);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 32768, 65535})
        void invalidCloseCodeIsAnsweredWith1002(int code) {
            open();
            client.sendClose(code, new byte[0]);

            assertClosedWith(1002);
        }

        @Test
        void onePayloadByteIsAnsweredWith1002() {
            open();
            client.send(CLOSE, new byte[] {0x03});

            assertClosedWith(1002);
        }

        @Test
        void reasonOver123BytesIsAnsweredWith1002() {
            open();
            client.sendClose(1000, bytes(CloseFrameValidator.MAX_REASON_BYTES + 1, 'r'));

            assertClosedWith(1002);
        }

        @Test
        void reasonThatIsNotUtf8IsAnsweredWith1007() {
            open();
            client.sendClose(1000, INVALID_UTF8);

            assertClosedWith(1007);
        }

        @Test
        void framesAfterACloseAreIgnored() {
            open();
            server.writeInbound(Unpooled.wrappedBuffer(
                    WebSocketWire.frame(CLOSE, true, new byte[] {0x03, (byte) 0xe8}),
                    WebSocketWire.frame(TEXT, true, "too late".getBytes(StandardCharsets.UTF_8))));

            assertClosedWith(1000);
        }

        @Test
        void connectionLostInTheMiddleOfAMessageIsNotAnError() {
            open();
            client.send(TEXT, false, "half".getBytes(StandardCharsets.UTF_8));
            server.close();

            server.checkException();
            assertThat((Object) server.readInbound()).isNull();
        }

        @Test
        void connectionIsClosedAfterTheCloseTimeoutWhenTheCloseFrameCannotBeWritten() {
            open();
            server.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    ReferenceCountUtil.release(msg); // a peer that reads nothing: the write never completes
                }
            });
            client.sendClose(1000, new byte[0]);
            assertThat(server.isOpen()).isTrue();

            server.advanceTimeBy(WebSocketFraming.Settings.defaults().closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            server.runScheduledPendingTasks();

            assertThat(server.isOpen()).isFalse();
        }

        @Test
        void closeWrittenByTheApplicationIsSentOnceAndTheReplyEndsTheConnection() {
            open();
            server.writeAndFlush(new CloseWebSocketFrame(4401, "unauthorized"));
            assertThat(client.receivedCloseCode()).isEqualTo(4401);
            assertThat(server.isOpen()).isTrue();

            client.sendClose(4401, new byte[0]);

            assertThat(client.received()).isEmpty();
            assertThat(server.isOpen()).isFalse();
        }
    }

    @Nested
    class SettingsValidation {

        private final WebSocketFraming.Settings defaults = WebSocketFraming.Settings.defaults();

        @Test
        void defaultsAreTheGatewaysWebSocket() {
            assertThat(defaults.path()).isEqualTo("/v1/ws");
            assertThat(defaults.subprotocols()).containsExactly("pigeon.v1.json", "pigeon.v1.proto");
            assertThat(defaults.defaultSubprotocol()).isEqualTo("pigeon.v1.json");
            assertThat(defaults.maxFrameBytes()).isEqualTo(1 << 20);
            assertThat(defaults.subprotocolOrDefault("pigeon.v1.proto")).isEqualTo("pigeon.v1.proto");
        }

        @Test
        void pathMustBeAbsolute() {
            assertThatThrownBy(() -> defaults.withPath("v1/ws")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void subprotocolsMustBeTokens() {
            assertThatThrownBy(() -> new WebSocketFraming.Settings("/", List.of("a,b"), 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new WebSocketFraming.Settings("/", List.of(), 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void limitsAndTimeoutsMustBePositive() {
            assertThatThrownBy(() -> defaults.withMaxFrameBytes(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new WebSocketFraming.Settings("/", List.of("a"), 1, Duration.ZERO,
                    Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
