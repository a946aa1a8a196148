package dev.pigeon.ops.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Opens the WebSocket sessions of one process, to one or several gateways: one event loop group
 * (epoll where available) for every connection, pooled buffers, subprotocol {@code pigeon.v1.json}
 * and no extensions, so no permessage-deflate is negotiated.
 */
final class LoadClient implements AutoCloseable {
    static final String SUBPROTOCOL = "pigeon.v1.json";
    private static final int MAX_FRAME_BYTES = 1 << 20;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ChannelGroup channels;

    LoadClient() {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        this.channels = new DefaultChannelGroup(group.next());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Starts connecting a session to {@code url} as the user of {@code token}, and returns its
     * channel; {@code listener} hears what happens to it, {@link SessionListener#closed} included
     * when no connection could be made.
     */
    Channel connect(URI url, String token, SessionListener listener) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .subprotocol(SUBPROTOCOL)
                .allowExtensions(false)
                .customHeaders(new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                .handleCloseFrames(false)
                .build();
        ChannelFuture connected = bootstrap.clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config),
                                new LoadSessionHandler(listener));
                    }
                })
                .connect(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        channels.add(connected.channel());
        connected.addListener(done -> {
            if (!done.isSuccess()) {
                listener.error("connect_failed", () -> url + ": " + done.cause());
                listener.closed(null);
            }
        });
        return connected.channel();
    }

    /** Closes every session (each with a WebSocket close frame), then the event loops. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
