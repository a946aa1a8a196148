package dev.pigeon.gateway.link;

import dev.pigeon.gateway.auth.SharedSecretGate;
import dev.pigeon.gateway.http.BodyLimitAggregator;
import dev.pigeon.gateway.http.ConnectionEvent;
import dev.pigeon.gateway.http.HttpApiHandler;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.HttpPipeline;
import dev.pigeon.gateway.http.RouteTable;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.region.RegionCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The server side of the region link: HTTP/1.1 on a port of its own, every request refused with 401
 * unless it carries {@code Authorization: Bearer <link secret>}, bodies up to 4 MiB (413
 * {@code too_large} beyond), each route a call into the local {@link RegionCalls}:
 *
 * <pre>
 * POST /link/v1/send        {"sender":U,"send":{send frame}}            -> 200 the sent frame
 * POST /link/v1/place       {"conversation":C,"entries":[log entries]}  -> 200 {"mark":N,"seqs":{user:seq}}
 * POST /link/v1/deliver     {"deliveries":[delivery]}                   -> 204
 * POST /link/v1/ack         {"user":U,"device":D,"up_to":N}             -> 204
 * POST /link/v1/read        {"user":U,"conversation":C,"up_to":N}       -> 204
 * POST /link/v1/forget-home {"kind":"USER"|"CONVERSATION","id":I}       -> 204
 * GET  /link/v1/standing                                                -> 200 {"region","lost_regions","nodes"}
 * </pre>
 *
 * Errors are PROTOCOL.md error frames with their HTTP status. Build with {@link #builder()}; run it
 * on event loops of its own ({@link #start()}) or on a gateway's ({@link #start(EventLoopGroup,
 * EventLoopGroup, Class)}); {@link #stop()} lets requests in hand finish within the grace, then closes.
 */
public final class LinkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkServer.class);

    private final String bindHost;
    private final int port;
    private final Duration requestTimeout;
    private final Duration shutdownGrace;
    private final GatewayMetrics metrics;
    private final RouteTable routes;
    private final Consumer<HttpExchange> gate;
    private final ChannelGroup channels = new DefaultChannelGroup("pigeon-link", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup ownLoops;
    private Channel serverChannel;
    private volatile boolean draining;

    private LinkServer(Builder b) {
        this.bindHost = b.bindHost;
        this.port = b.port;
        this.requestTimeout = b.requestTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.metrics = b.metrics;
        this.routes = new LinkEndpoints(b.calls, b.validator, b.callTimeout).addTo(RouteTable.builder()).build();
        this.gate = new SharedSecretGate(b.secret, "the link secret");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port on event loops of its own; returns once it listens. */
    public synchronized LinkServer start() {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("pigeon-link"),
                NioIoHandler.newFactory());
        try {
            start(loops, loops, NioServerSocketChannel.class);
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        ownLoops = loops;
        return this;
    }

    /**
     * Binds the port on {@code boss} and {@code workers}, which stay the caller's to shut down after
     * {@link #stop()}; {@code channelType} is the server channel class their I/O handler takes.
     */
    public synchronized LinkServer start(EventLoopGroup boss, EventLoopGroup workers,
                                         Class<? extends ServerChannel> channelType) {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        serverChannel = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer())
                .bind(new InetSocketAddress(bindHost, port)).syncUninterruptibly().channel();
        log.info("region link listening on {}", serverChannel.localAddress());
        return this;
    }

    private ChannelInitializer<SocketChannel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                channels.add(ch);
                // Link requests carry the link secret, never a client token: no token verifier.
                HttpPipeline.install(ch.pipeline(), requestTimeout,
                        new BodyLimitAggregator(LinkMessages.MAX_BODY_BYTES, routes, metrics), null,
                        new HttpApiHandler(routes, null, metrics, gate, () -> draining));
            }
        };
    }

    /** The port actually bound (the configured one, or the one picked for port 0). */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting, lets requests in hand finish within the shutdown grace, then closes every
     * connection (and the event loops, when they are its own).
     */
    public synchronized void stop() {
        if (serverChannel == null || draining) {
            return;
        }
        draining = true;
        serverChannel.close().syncUninterruptibly();
        for (Channel channel : channels) {
            channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(shutdownGrace.toMillis())) {
            log.warn("{} region link connections still open after the shutdown grace; closing them", channels.size());
        }
        channels.close().awaitUninterruptibly(shutdownGrace.toMillis());
        if (ownLoops != null) {
            ownLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        log.info("region link stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** Builds a {@link LinkServer}; the calls and the secret are required. */
    public static final class Builder {
        private RegionCalls calls;
        private String secret;
        private String bindHost = "0.0.0.0";
        private int port = 7070;
        private FrameValidator validator = new FrameValidator();
        private GatewayMetrics metrics;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration shutdownGrace = Duration.ofSeconds(5);

        private Builder() {
        }

        /** What every request calls: this region's side of the link. */
        public Builder calls(RegionCalls v) { calls = v; return this; }

        /** The secret every request must carry as {@code Authorization: Bearer <secret>}. */
        public Builder secret(String v) { secret = v; return this; }

        /** The address to listen on; default {@code 0.0.0.0}. */
        public Builder bindHost(String v) { bindHost = v; return this; }

        /** The port; 0 picks a free one; default 7070. */
        public Builder port(int v) { port = v; return this; }

        /** The rules forwarded sends are checked against (the router's); default {@code new FrameValidator()}. */
        public Builder validator(FrameValidator v) { validator = v; return this; }

        /** Where requests and errors are counted; default meters of its own that nothing exports. */
        public Builder metrics(GatewayMetrics v) { metrics = v; return this; }

        /**
         * How long a connection may take to complete a request, counted from its start or its previous
         * answer (so also how long an idle connection stays open); default 60 s.
         */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }

        /** How long a call into the region may take before it is answered 503 {@code unavailable}; default 10 s. */
        public Builder callTimeout(Duration v) { callTimeout = v; return this; }

        /** How long {@link #stop()} lets requests in hand finish; default 5 s. */
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }

        public LinkServer build() {
            Objects.requireNonNull(calls, "calls");
            Objects.requireNonNull(bindHost, "bindHost");
            Objects.requireNonNull(validator, "validator");
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(callTimeout, "callTimeout");
            requirePositive(shutdownGrace, "shutdownGrace");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be a port number (0 for any free port)");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("the link secret must not be blank");
            }
            if (metrics == null) {
                metrics = new GatewayMetrics(new SimpleMeterRegistry());
            }
            return new LinkServer(this);
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }
}
