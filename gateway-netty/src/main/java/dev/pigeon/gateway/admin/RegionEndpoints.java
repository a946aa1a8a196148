package dev.pigeon.gateway.admin;

import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.RequestBodies;
import dev.pigeon.gateway.http.RouteTable;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import dev.pigeon.router.region.RegionAdmin;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/**
 * The admin API over regions:
 * <pre>
 * GET  /admin/regions                     -> {"regions":[{"region","state","healthy","nodes":[...],"lag_ms"}]}
 * POST /admin/users/{user}/home {"region":R} -> {"user","from_region","to_region","epoch"}
 * POST /admin/regions/{region}/failover   -> {"region","survivor","users_moved","conversations_moved","took_ms"}
 * POST /admin/regions/{region}/reconcile  -> {"region","orphans","recovered","already_present","unrecovered":[...]}
 * </pre>
 * A node without regions answers them 404 {@code not_found}. Region names follow the user-id rule.
 */
final class RegionEndpoints {
    private final RegionAdmin admin;

    /** @param admin the levers over regions; null on a node without regions */
    RegionEndpoints(RegionAdmin admin) {
        this.admin = admin;
    }

    RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes
                .route(HttpMethod.GET, "/admin/regions", this::regions)
                .route(HttpMethod.POST, "/admin/users/{user}/home", this::rehome)
                .route(HttpMethod.POST, "/admin/regions/{region}/failover", this::failover)
                .route(HttpMethod.POST, "/admin/regions/{region}/reconcile", this::reconcile);
    }

    private void regions(HttpExchange exchange) {
        exchange.answer(admin().regions(), null, regions -> exchange.respondJson(HttpResponseStatus.OK,
                new RegionsBody(regions.stream().map(RegionBody::of).toList())));
    }

    private void rehome(HttpExchange exchange) {
        RegionAdmin regions = admin();
        String user = UserId.require(exchange.pathParam("user"), "user");
        HomeRequest request = RequestBodies.json(exchange, HomeRequest.class);
        String region = region(request.region());
        exchange.answer(regions.rehome(user, region), null, move -> exchange.respondJson(HttpResponseStatus.OK,
                new HomeMoveBody(move.user(), move.fromRegion(), move.toRegion(), move.epoch())));
    }

    private void failover(HttpExchange exchange) {
        RegionAdmin regions = admin();
        exchange.answer(regions.failover(region(exchange.pathParam("region"))), null,
                report -> exchange.respondJson(HttpResponseStatus.OK, new FailoverBody(report.region(),
                        report.survivor(), report.usersMoved(), report.conversationsMoved(), report.tookMillis())));
    }

    private void reconcile(HttpExchange exchange) {
        RegionAdmin regions = admin();
        exchange.answer(regions.reconcile(region(exchange.pathParam("region"))), null,
                report -> exchange.respondJson(HttpResponseStatus.OK, new ReconcileBody(report.region(),
                        report.orphans(), report.recovered(), report.alreadyPresent(), report.unrecovered())));
    }

    private RegionAdmin admin() {
        if (admin == null) {
            throw ProtocolException.notFound("this node serves no regions");
        }
        return admin;
    }

    private static String region(String name) {
        if (name == null) {
            throw ProtocolException.badRequest("region is required");
        }
        if (!UserId.isValid(name)) {
            throw ProtocolException.badRequest("region is not a valid region name");
        }
        return name;
    }

    record HomeRequest(String region) {
    }

    record RegionsBody(List<RegionBody> regions) {
    }

    /** One region; {@code lag_ms} is left out when the region never beat. */
    record RegionBody(String region, String state, boolean healthy, List<String> nodes, Long lagMs) {
        static RegionBody of(RegionAdmin.RegionStatus status) {
            return new RegionBody(status.region(), status.state(), status.healthy(), status.nodes(),
                    status.lagMillis());
        }
    }

    record HomeMoveBody(String user, String fromRegion, String toRegion, long epoch) {
    }

    record FailoverBody(String region, String survivor, int usersMoved, int conversationsMoved, long tookMs) {
    }

    record ReconcileBody(String region, int orphans, int recovered, int alreadyPresent, List<String> unrecovered) {
    }
}
