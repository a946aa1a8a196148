package dev.pigeon.gateway;

import dev.pigeon.gateway.http.WebAsset;
import dev.pigeon.gateway.link.LinkServer;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.router.Groups;
import dev.pigeon.router.Presence;
import dev.pigeon.router.Router;
import dev.pigeon.router.region.RegionAdmin;
import dev.pigeon.router.region.RegionCalls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Pigeon edge node: the public port (WebSocket, SSE, long-poll and the HTTP API), the admin
 * port and, on a node with peer regions, the region link's port, on one boss and one worker event
 * loop group. Build with {@link #builder()}, then {@link #start()}; {@link #stop()} drains and closes.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final EdgeNode edge;
    private final LinkServer link;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel publicChannel;
    private Channel adminChannel;
    private boolean stopped;

    private GatewayServer(Builder b) {
        this.config = b.config;
        this.edge = new EdgeNode(b.config, b.router, b.groups, b.presence, b.homes, b.meterRegistry, b.readiness,
                b.validator, b.clock, b.webAssets, b.regionAdmin);
        this.link = b.linkCalls == null ? null : LinkServer.builder()
                .calls(b.linkCalls)
                .secret(b.linkSecret)
                .bindHost(b.config.bindHost())
                .port(b.linkPort)
                .validator(b.validator)
                .metrics(edge.metrics())
                .shutdownGrace(b.config.shutdownGrace())
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the public and admin ports (and the link port, when there is one); returns once they listen. */
    public synchronized GatewayServer start() {
        if (boss != null) {
            throw new IllegalStateException("already started");
        }
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(io);
        try {
            publicChannel = bind(channelType, config.port(), edge.publicInitializer());
            adminChannel = bind(channelType, config.adminPort(), edge.adminInitializer());
            if (link != null) {
                link.start(boss, workers, channelType);
            }
        } catch (RuntimeException e) {
            shutdownEventLoops();
            throw e;
        }
        log.info("gateway {} in region {} listening on {} (admin {})", config.nodeId(), config.region(),
                publicChannel.localAddress(), adminChannel.localAddress());
        return this;
    }

    private Channel bind(Class<? extends ServerChannel> channelType, int port,
                         ChannelInitializer<SocketChannel> initializer) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWater(), config.writeBufferHighWater()))
                .childHandler(initializer);
        return bootstrap.bind(new InetSocketAddress(config.bindHost(), port)).syncUninterruptibly().channel();
    }

    /** The public port actually bound (the configured one, or the one picked for port 0). */
    public int port() {
        return boundPort(publicChannel);
    }

    /** The admin port actually bound. */
    public int adminPort() {
        return boundPort(adminChannel);
    }

    /** The region link's port actually bound; fails on a node without a link. */
    public int linkPort() {
        if (link == null) {
            throw new IllegalStateException("this node serves no region link");
        }
        return link.port();
    }

    public GatewayConfig config() {
        return config;
    }

    private static int boundPort(Channel channel) {
        if (channel == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, tells every session to reconnect (WebSocket close 1012, SSE end, pending polls
     * answered), lets in-flight requests finish within the shutdown grace, then closes everything.
     */
    public synchronized void stop() {
        if (boss == null || stopped) {
            return;
        }
        stopped = true;
        publicChannel.close().syncUninterruptibly();
        adminChannel.close().syncUninterruptibly();
        if (link != null) {
            link.stop();
        }
        edge.drain(config.shutdownGrace());
        shutdownEventLoops();
        log.info("gateway {} stopped", config.nodeId());
    }

    private void shutdownEventLoops() {
        boss.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        stop();
    }

    /** Builds a {@link GatewayServer}. Router, groups, presence and homes are required. */
    public static final class Builder {
        private GatewayConfig config = GatewayConfig.builder().build();
        private Router router;
        private Groups groups;
        private Presence presence;
        private HomeDirectory homes;
        private PrometheusMeterRegistry meterRegistry;
        private Supplier<CompletionStage<Boolean>> readiness = () -> CompletableFuture.completedFuture(true);
        private Clock clock = Clock.systemUTC();
        private FrameValidator validator = new FrameValidator();
        private List<WebAsset> webAssets = List.of();
        private RegionAdmin regionAdmin;
        private RegionCalls linkCalls;
        private int linkPort;
        private String linkSecret;

        private Builder() {
        }

        public Builder config(GatewayConfig v) { config = v; return this; }
        public Builder router(Router v) { router = v; return this; }
        public Builder groups(Groups v) { groups = v; return this; }
        public Builder presence(Presence v) { presence = v; return this; }
        public Builder homes(HomeDirectory v) { homes = v; return this; }

        /** Where gateway metrics go and what {@code GET /metrics} serves; default a fresh registry. */
        public Builder meterRegistry(PrometheusMeterRegistry v) { meterRegistry = v; return this; }

        /** Answers {@code GET /readyz}: true when storage and router are reachable; default always ready. */
        public Builder readiness(Supplier<CompletionStage<Boolean>> v) { readiness = v; return this; }

        /**
         * The frame rules requests are checked against (body size and page limits included); give it
         * the router's, so both agree; default {@code new FrameValidator()}.
         */
        public Builder validator(FrameValidator v) { validator = v; return this; }

        /** The clock tokens and presence times are read from; default the system clock. */
        public Builder clock(Clock v) { clock = v; return this; }

        /** Files served on the public port without a token (the browser client, the demo page); default none. */
        public Builder webAssets(List<WebAsset> v) { webAssets = List.copyOf(v); return this; }

        /** The admin API's levers over regions ({@code /admin/regions...}); default none: those paths answer 404. */
        public Builder regionAdmin(RegionAdmin v) { regionAdmin = v; return this; }

        /**
         * Serves the region link on {@code port} (0 picks a free one) of the bind host: requests
         * carrying {@code secret} call {@code calls}, this region's side of the link. Default: no link port.
         */
        public Builder link(RegionCalls calls, int port, String secret) {
            linkCalls = Objects.requireNonNull(calls, "calls");
            linkPort = port;
            linkSecret = secret;
            return this;
        }

        public GatewayServer build() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(groups, "groups");
            Objects.requireNonNull(presence, "presence");
            Objects.requireNonNull(homes, "homes");
            Objects.requireNonNull(readiness, "readiness");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(validator, "validator");
            if (meterRegistry == null) {
                meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            }
            return new GatewayServer(this);
        }
    }
}
