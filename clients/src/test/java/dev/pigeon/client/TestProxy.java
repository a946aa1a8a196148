package dev.pigeon.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A small HTTP-aware proxy in front of a node, as a corporate proxy or CDN would stand: it reads each
 * request's head, refuses requests to blocked paths with 403 (as a proxy that refuses the WebSocket
 * upgrade does), and pipes everything else through. It makes every forwarded plain request
 * {@code Connection: close}, so that each request comes on its own connection and is inspected.
 * It can also cut every connection at once, and forward to a node that moved to another port.
 */
final class TestProxy implements AutoCloseable {
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 64 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusals = new AtomicInteger();
    private final IntSupplier backendPort;
    private final Channel listener;

    TestProxy(IntSupplier backendPort) {
        this.backendPort = backendPort;
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        open.add(ch);
                        ch.pipeline().addLast(new Front());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort());
    }

    /** Requests whose path starts with {@code prefix} are refused with 403 from now on. */
    TestProxy block(String prefix) {
        blocked.add(prefix);
        return this;
    }

    void unblock(String prefix) {
        blocked.remove(prefix);
    }

    /** How many requests were refused so far. */
    int refusals() {
        return refusals.get();
    }

    /** Cuts every open connection, as a network failure would. */
    void cutAll() {
        open.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        cutAll();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection: collects the request head, then refuses or connects it to the node. */
    private final class Front extends ChannelInboundHandlerAdapter {
        private ByteBuf head = Unpooled.buffer();
        private boolean connecting;
        private Channel backend;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            if (backend != null) {
                backend.writeAndFlush(bytes);
                return;
            }
            head.writeBytes(bytes);
            bytes.release();
            if (connecting) {
                return; // sent on once the node answers the connect
            }
            int end = ByteBufUtil.indexOf(Unpooled.wrappedBuffer(HEAD_END), head);
            if (end < 0) {
                if (head.readableBytes() > MAX_HEAD) {
                    ctx.close();
                }
                return;
            }
            String text = head.toString(head.readerIndex(), end - head.readerIndex(), StandardCharsets.ISO_8859_1);
            head.readerIndex(end + HEAD_END.length);
            String[] lines = text.split("\r\n");
            String path = lines[0].split(" ").length > 1 ? lines[0].split(" ")[1] : "";
            if (blocked.stream().anyMatch(path::startsWith)) {
                refusals.incrementAndGet();
                ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n", StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            forward(ctx, rewrite(lines));
        }

        /** The head with {@code Connection: close}, unless it asks for an upgrade (a WebSocket). */
        private String rewrite(String[] lines) {
            boolean upgrade = false;
            StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                upgrade |= lines[i].toLowerCase(Locale.ROOT).startsWith("upgrade:");
            }
            for (int i = 1; i < lines.length; i++) {
                if (upgrade || !lines[i].toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    out.append(lines[i]).append("\r\n");
                }
            }
            if (!upgrade) {
                out.append("Connection: close\r\n");
            }
            return out.append("\r\n").toString();
        }

        private void forward(ChannelHandlerContext ctx, String rewrittenHead) {
            Channel front = ctx.channel();
            connecting = true;
            new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            open.add(ch);
                            ch.pipeline().addLast(new Pipe(front));
                        }
                    })
                    .connect(new InetSocketAddress("127.0.0.1", backendPort.getAsInt()))
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess() || !front.isActive()) {
                            connected.channel().close();
                            front.close();
                            return;
                        }
                        backend = connected.channel();
                        backend.write(Unpooled.copiedBuffer(rewrittenHead, StandardCharsets.ISO_8859_1));
                        backend.writeAndFlush(head.readBytes(head.readableBytes()));
                    });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            head.release();
            head = Unpooled.EMPTY_BUFFER;
            if (backend != null) {
                backend.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Copies what the node answers back to the client. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel front;

        Pipe(Channel front) {
            this.front = front;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            front.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            front.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
