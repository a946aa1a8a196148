package dev.pigeon.gateway.admin;

import dev.pigeon.gateway.auth.SharedSecretGate;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.RouteTable;
import dev.pigeon.homing.Home;
import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import dev.pigeon.router.Presence;
import dev.pigeon.router.Router;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.router.region.RegionAdmin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The admin port: presence of users, session counts, disconnecting a user, the Prometheus metrics
 * and the levers over regions ({@link RegionEndpoints}). Every request needs
 * {@code Authorization: Bearer <admin token>}.
 */
public final class AdminEndpoints {
    /** The most users one {@code GET /admin/presence} may ask about. */
    static final int MAX_USERS_PER_QUERY = 1000;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Presence presence;
    private final HomeDirectory homes;
    private final Router router;
    private final PrometheusMeterRegistry registry;
    private final RegionEndpoints regions;

    /** @param regionAdmin the levers over regions; null on a node without regions */
    public AdminEndpoints(Presence presence, HomeDirectory homes, Router router, PrometheusMeterRegistry registry,
                          RegionAdmin regionAdmin) {
        this.presence = presence;
        this.homes = homes;
        this.router = router;
        this.registry = registry;
        this.regions = new RegionEndpoints(regionAdmin);
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        return regions.addTo(routes)
                .route(HttpMethod.GET, "/admin/presence/{user}", this::presenceOfOne)
                .route(HttpMethod.GET, "/admin/presence", this::presenceOfMany)
                .route(HttpMethod.GET, "/admin/stats", this::stats)
                .route(HttpMethod.POST, "/admin/users/{user}/disconnect", this::disconnect)
                .route(HttpMethod.GET, "/metrics", this::metrics);
    }

    /** Refuses any request without the admin token, in constant time. */
    public static Consumer<HttpExchange> gate(String adminToken) {
        return new SharedSecretGate(adminToken, "the admin token");
    }

    private void presenceOfOne(HttpExchange exchange) {
        String user = UserId.require(exchange.pathParam("user"), "user");
        exchange.answer(presenceOf(List.of(user)), null,
                users -> exchange.respondJson(HttpResponseStatus.OK, users.get(0)));
    }

    private void presenceOfMany(HttpExchange exchange) {
        List<String> users = exchange.queryAll("user");
        if (users.size() > MAX_USERS_PER_QUERY) {
            throw ProtocolException.badRequest("at most " + MAX_USERS_PER_QUERY + " users per query");
        }
        users.forEach(user -> UserId.require(user, "user"));
        exchange.answer(presenceOf(users), null,
                found -> exchange.respondJson(HttpResponseStatus.OK, new UsersBody(found)));
    }

    private CompletableFuture<List<UserPresence>> presenceOf(List<String> users) {
        List<String> distinct = users.stream().distinct().toList();
        List<CompletableFuture<Home>> homesOf = distinct.stream()
                .map(user -> homes.homeOfUser(user).toCompletableFuture())
                .toList();
        CompletableFuture<Map<String, List<SessionInfo>>> sessions = presence.sessions(distinct).toCompletableFuture();
        return CompletableFuture.allOf(homesOf.toArray(CompletableFuture[]::new)).thenCombine(sessions, (ignored, live) -> {
            List<UserPresence> answer = new ArrayList<>();
            for (int i = 0; i < distinct.size(); i++) {
                String user = distinct.get(i);
                List<SessionBody> userSessions = live.getOrDefault(user, List.of()).stream().map(SessionBody::of).toList();
                answer.add(new UserPresence(user, !userSessions.isEmpty(), homesOf.get(i).join().region(), userSessions));
            }
            return answer;
        });
    }

    private void stats(HttpExchange exchange) {
        exchange.answer(presence.stats(), null, stats -> exchange.respondJson(HttpResponseStatus.OK, stats));
    }

    private void disconnect(HttpExchange exchange) {
        String user = UserId.require(exchange.pathParam("user"), "user");
        exchange.answer(router.disconnect(user, "disconnected by an operator"), null,
                done -> exchange.respondJson(HttpResponseStatus.OK, new Disconnected(user, true)));
    }

    private void metrics(HttpExchange exchange) {
        String text = registry.scrape();
        exchange.respond(HttpResponseStatus.OK, ByteBufUtil.writeUtf8(exchange.ctx().alloc(), text), PROMETHEUS_TEXT);
    }

    record UserPresence(String user, boolean online, String homeRegion, List<SessionBody> sessions) {
    }

    record UsersBody(List<UserPresence> users) {
    }

    record SessionBody(String session, String node, String region, String transport, String device, long connectedAt,
                       long lastSeen) {
        static SessionBody of(SessionInfo info) {
            return new SessionBody(info.session(), info.node(), info.region(), info.transport(), info.device(),
                    info.connectedAt(), info.lastSeen());
        }
    }

    record Disconnected(String user, boolean disconnected) {
    }
}
