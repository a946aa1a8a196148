package dev.pigeon.gateway;

import dev.pigeon.gateway.admin.AdminEndpoints;
import dev.pigeon.gateway.auth.TokenIssuer;
import dev.pigeon.gateway.auth.TokenVerifier;
import dev.pigeon.gateway.http.BodyLimitAggregator;
import dev.pigeon.gateway.http.ConnectionEvent;
import dev.pigeon.gateway.http.DevEndpoints;
import dev.pigeon.gateway.http.GroupEndpoints;
import dev.pigeon.gateway.http.HealthEndpoints;
import dev.pigeon.gateway.http.HttpApiHandler;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.HttpPipeline;
import dev.pigeon.gateway.http.MessageEndpoints;
import dev.pigeon.gateway.http.RouteTable;
import dev.pigeon.gateway.http.WebAsset;
import dev.pigeon.gateway.http.WebAssetEndpoints;
import dev.pigeon.gateway.metrics.GatewayMetrics;
import dev.pigeon.gateway.poll.PollEndpoint;
import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionServices;
import dev.pigeon.gateway.session.SessionTable;
import dev.pigeon.gateway.sse.SseEndpoint;
import dev.pigeon.gateway.sse.SseEvents;
import dev.pigeon.gateway.sse.SseSettings;
import dev.pigeon.gateway.ws.WebSocketEndpoint;
import dev.pigeon.gateway.ws.WebSocketFraming;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.JsonFrameCodec;
import dev.pigeon.protocol.ProtoFrameCodec;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Groups;
import dev.pigeon.router.Presence;
import dev.pigeon.router.Router;
import dev.pigeon.router.region.RegionAdmin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The parts of one edge node, wired together: what the channel initializers of both ports share. */
final class EdgeNode {
    private static final Logger log = LoggerFactory.getLogger(EdgeNode.class);
    /** How long a session waits before looking again for inbox entries a delivery announced. */
    private static final Duration GAP_RETRY_DELAY = Duration.ofMillis(100);
    /** Admin requests are small; their bodies are capped well below the public limit. */
    private static final int ADMIN_BODY_BYTES = 64 * 1024;

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final TokenVerifier tokens;
    private final SessionTable sessions;
    private final RouteTable publicRoutes;
    private final RouteTable adminRoutes;
    private final Consumer<HttpExchange> adminGate;
    private final CorsConfig cors;
    private final ChannelGroup channels = new DefaultChannelGroup("pigeon-edge", GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    EdgeNode(GatewayConfig config, Router router, Groups groups, Presence presence, HomeDirectory homes,
             PrometheusMeterRegistry registry, Supplier<CompletionStage<Boolean>> readiness,
             FrameValidator validator, Clock clock, List<WebAsset> webAssets, RegionAdmin regionAdmin) {
        this.config = config;
        this.metrics = new GatewayMetrics(registry);
        this.tokens = new TokenVerifier(config.jwtSecret(), clock);
        this.sessions = new SessionTable(config.sessionsPerUser());
        FrameCodec json = new JsonFrameCodec();
        FrameCodec proto = new ProtoFrameCodec();
        SessionServices services = new SessionServices(router, homes, validator, metrics, sessions, clock,
                config.nodeId(), config.region(), config.outboundQueueLimit(), GAP_RETRY_DELAY);
        int pageSize = validator.limits().defaultPageLimit();
        WebSocketFraming.Settings framing = WebSocketFraming.Settings.defaults()
                .withMaxFrameBytes(config.maxFrameBytes());
        WebSocketEndpoint ws = new WebSocketEndpoint(services, framing, config.wsPingInterval(),
                config.wsIdleTimeout(), json, proto, pageSize);
        SseEndpoint sse = new SseEndpoint(services,
                new SseSettings(config.sseKeepalive(), config.sseMaxLifetime(), config.sseRetry()),
                new SseEvents(json), pageSize);
        PollEndpoint poll = new PollEndpoint(services, config.pollDefaultWait(), config.pollMaxWait());

        RouteTable.Builder routes = RouteTable.builder()
                .route(HttpMethod.GET, framing.path(), ws::handle)
                .route(HttpMethod.GET, "/v1/sse", sse::handle)
                .route(HttpMethod.GET, "/v1/poll", poll::handle);
        new MessageEndpoints(router, validator, json).addTo(routes);
        new GroupEndpoints(groups).addTo(routes);
        new HealthEndpoints(readiness, () -> draining).addTo(routes);
        new WebAssetEndpoints(webAssets, config.devTokens()).addTo(routes);
        if (config.devTokens()) {
            new DevEndpoints(new TokenIssuer(config.jwtSecret(), clock), config.devTokenLifetime()).addTo(routes);
        }
        this.publicRoutes = routes.build();
        this.adminRoutes = new AdminEndpoints(presence, homes, router, registry, regionAdmin)
                .addTo(RouteTable.builder()).build();
        this.adminGate = AdminEndpoints.gate(config.adminToken());
        this.cors = corsConfig(config);
    }

    private static CorsConfig corsConfig(GatewayConfig config) {
        CorsConfigBuilder builder = config.anyCorsOrigin()
                ? CorsConfigBuilder.forAnyOrigin()
                : CorsConfigBuilder.forOrigins(config.corsOrigins().toArray(String[]::new));
        return builder
                .allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.OPTIONS)
                .allowedRequestHeaders("Authorization", "Content-Type", "Last-Event-ID")
                .maxAge(600)
                .build();
    }

    ChannelInitializer<SocketChannel> publicInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                track(ch);
                HttpPipeline.install(ch.pipeline(), config.httpRequestTimeout(),
                        new BodyLimitAggregator(config.maxHttpBodyBytes(), publicRoutes, metrics),
                        new CorsHandler(cors), new HttpApiHandler(publicRoutes, tokens, metrics, this::refuseWhileDraining,
                                () -> draining));
            }

            private void refuseWhileDraining(HttpExchange exchange) {
                if (draining) {
                    throw ProtocolException.unavailable("the server is shutting down");
                }
            }
        };
    }

    ChannelInitializer<SocketChannel> adminInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                track(ch);
                HttpPipeline.install(ch.pipeline(), config.httpRequestTimeout(),
                        new BodyLimitAggregator(ADMIN_BODY_BYTES, adminRoutes, metrics), null,
                        new HttpApiHandler(adminRoutes, tokens, metrics, adminGate, () -> draining));
            }
        };
    }

    /** The meters of this node's HTTP ports, for another port served alongside (the region link). */
    GatewayMetrics metrics() {
        return metrics;
    }

    private void track(Channel channel) {
        channels.add(channel);
    }

    /**
     * Tells every session to reconnect and every HTTP connection to close after its answer, waits up to
     * {@code grace} for them to go, then closes what is left.
     */
    void drain(Duration grace) {
        draining = true;
        for (ClientSession session : sessions.all()) {
            session.requestDrain();
        }
        for (Channel channel : channels) {
            channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(grace.toMillis())) {
            log.warn("{} connections still open after the shutdown grace; closing them", channels.size());
        }
        channels.close().awaitUninterruptibly(grace.toMillis());
    }
}
