package dev.pigeon.gateway.ws;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The RFC 6455 layer of a WebSocket: opening handshake, frame decoding with size limits, UTF-8
 * validation of text, ping and pong, reassembly of fragmented messages and the closing handshake.
 *
 * <p>{@link #install} is called on a channel whose pipeline holds an {@code HttpServerCodec} and an
 * {@code HttpObjectAggregator} and whose next request is already known to be a WebSocket upgrade for
 * {@link Settings#path()}. It appends its handlers to the end of the pipeline; the caller then
 * appends its own handler and passes the {@code FullHttpRequest} on from a handler before them
 * (without releasing it: the handshake does). Once the handshake is written the pipeline holds no
 * HTTP handlers of Netty's any more, and the handlers after these see:
 * <ul>
 *   <li>a {@link WebSocketServerProtocolHandler.HandshakeComplete} event, whose
 *       {@code selectedSubprotocol()} is passed through {@link Settings#subprotocolOrDefault};</li>
 *   <li>complete {@code TextWebSocketFrame}s (valid UTF-8) and {@code BinaryWebSocketFrame}s of at
 *       most {@link Settings#maxFrameBytes()} each, fragmented or not on the wire;</li>
 *   <li>nothing else: pings are answered, pongs dropped, and close frames and framing errors end
 *       the connection with the right close code (1002, 1007, 1009, or the peer's own code echoed).</li>
 * </ul>
 * A handshake that is not a valid WebSocket request gets 400, one for a version other than 13
 * gets 426.
 *
 * <p>To close a session, write a {@code CloseWebSocketFrame} with a code and close the channel once
 * it is written ({@code ChannelFutureListener.CLOSE}); writes after it are dropped. A bare
 * {@code channel.close()} drops the connection without a close frame (the client sees 1006).
 *
 * <p>No extension is negotiated: permessage-deflate would multiply the memory each session holds.
 */
public final class WebSocketFraming {

    private WebSocketFraming() {
    }

    /** Appends the WebSocket handlers to {@code pipeline}; see the class comment for the contract. */
    public static void install(ChannelPipeline pipeline, Settings settings) {
        pipeline.addLast("ws-upgrade", new Rfc6455Upgrade());
        pipeline.addLast("ws-protocol", new WebSocketServerProtocolHandler(protocolConfig(settings)));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameBytes()));
        pipeline.addLast("ws-close", new CloseHandshakeHandler(settings.closeTimeout()));
    }

    private static WebSocketServerProtocolConfig protocolConfig(Settings settings) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxFrameBytes())
                .expectMaskedFrames(true)
                .allowExtensions(false)
                // FailFastUtf8Validator checks text as it arrives; Netty's would check whole frames.
                .withUTF8Validator(false)
                // Violations surface as exceptions, which CloseHandshakeHandler answers with a close
                // frame written through the protocol handler; Netty's own answer bypasses it and
                // sends nothing at all for a bad close frame.
                .closeOnProtocolViolation(false)
                .build();
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(settings.path())
                // The request was routed here already; matching by prefix lets its query string
                // (?since=N, ?token=...) through, where Netty's exact match would compare the whole URI.
                .checkStartsWith(true)
                .subprotocols(String.join(",", settings.subprotocols()))
                .handshakeTimeoutMillis(settings.handshakeTimeout().toMillis())
                // CloseHandshakeHandler answers close frames; Netty echoes even an invalid one.
                .handleCloseFrames(false)
                // Netty would send this close on every channel.close(), a failed handshake's
                // included, where it lands in the HTTP encoder; closes are written explicitly.
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .decoderConfig(decoder)
                .build();
    }

    /**
     * How WebSockets on one path are framed.
     *
     * <p>Subprotocols: a client that offers none gets a handshake without
     * {@code Sec-WebSocket-Protocol} and speaks the first (default) one. A client that offers only
     * subprotocols this server does not speak also gets a handshake without the header, as RFC 6455
     * section 4.2.2 prescribes for a server that agrees to none of them; the session then speaks the
     * default, and a client that required one of its own fails the connection itself (browsers do).
     *
     * @param path             the request path the WebSocket is served on, e.g. {@code /v1/ws}
     * @param subprotocols     the subprotocols spoken, in order of preference; the first is the default
     * @param maxFrameBytes    the largest frame, and the largest reassembled message, read; a larger
     *                         one closes the connection with 1009
     * @param handshakeTimeout how long writing the handshake response may take before the connection
     *                         is closed
     * @param closeTimeout     how long a close frame this layer sends (an answer to the peer's close
     *                         or to a framing error) may take to be written before the connection is
     *                         closed without it
     */
    public record Settings(String path, List<String> subprotocols, int maxFrameBytes, Duration handshakeTimeout,
                           Duration closeTimeout) {

        /** The gateway's WebSocket: {@code /v1/ws}, JSON by default, 1 MiB frames. */
        public static Settings defaults() {
            return new Settings("/v1/ws", List.of("pigeon.v1.json", "pigeon.v1.proto"), 1 << 20,
                    Duration.ofSeconds(10), Duration.ofSeconds(3));
        }

        public Settings {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /: " + path);
            }
            subprotocols = List.copyOf(subprotocols);
            if (subprotocols.isEmpty()) {
                throw new IllegalArgumentException("at least one subprotocol is required");
            }
            for (String subprotocol : subprotocols) {
                if (subprotocol.isEmpty() || !subprotocol.chars().allMatch(Settings::isTokenChar)) {
                    throw new IllegalArgumentException("not an HTTP token: '" + subprotocol + "'");
                }
            }
            if (maxFrameBytes <= 0) {
                throw new IllegalArgumentException("maxFrameBytes must be positive");
            }
            requirePositive(handshakeTimeout, "handshakeTimeout");
            requirePositive(closeTimeout, "closeTimeout");
        }

        public Settings withPath(String newPath) {
            return new Settings(newPath, subprotocols, maxFrameBytes, handshakeTimeout, closeTimeout);
        }

        public Settings withMaxFrameBytes(int newMaxFrameBytes) {
            return new Settings(path, subprotocols, newMaxFrameBytes, handshakeTimeout, closeTimeout);
        }

        /** The subprotocol spoken when the handshake selected none. */
        public String defaultSubprotocol() {
            return subprotocols.get(0);
        }

        /** The subprotocol a session speaks, given the handshake's selection ({@code null} for none). */
        public String subprotocolOrDefault(String selected) {
            return selected != null ? selected : defaultSubprotocol();
        }

        /** RFC 7230 token characters, which a subprotocol name is made of (RFC 6455 section 4.1). */
        private static boolean isTokenChar(int c) {
            return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }
}
