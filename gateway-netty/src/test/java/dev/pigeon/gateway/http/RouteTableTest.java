package dev.pigeon.gateway.http;

import dev.pigeon.protocol.ProtocolException;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {
    private final Endpoint history = exchange -> { };
    private final Endpoint remove = exchange -> { };
    private final RouteTable routes = RouteTable.builder()
            .route(HttpMethod.GET, "/v1/history/{conversation}", history)
            .route(HttpMethod.DELETE, "/v1/groups/{group}/members/{user}", remove)
            .route(HttpMethod.POST, "/v1/groups/{group}/members", exchange -> { })
            .route(HttpMethod.GET, "/", exchange -> { })
            .build();

    @Test
    void matchesPatternsAndDecodesParameters() {
        assertThat(routes.match(HttpMethod.GET, "/v1/history/dm%3Aalice%3Abob"))
                .isEqualTo(new RouteTable.Found("/v1/history/{conversation}", history, Map.of("conversation", "dm:alice:bob")));
        assertThat(routes.match(HttpMethod.DELETE, "/v1/groups/team/members/carol"))
                .isEqualTo(new RouteTable.Found("/v1/groups/{group}/members/{user}", remove,
                        Map.of("group", "team", "user", "carol")));
        assertThat(routes.match(HttpMethod.GET, "/")).isInstanceOf(RouteTable.Found.class);
    }

    @Test
    void tellsAWrongMethodFromAnUnknownPath() {
        assertThat(routes.match(HttpMethod.PUT, "/v1/groups/team/members"))
                .isEqualTo(new RouteTable.MethodNotAllowed("/v1/groups/{group}/members", Set.of(HttpMethod.POST)));
        assertThat(routes.match(HttpMethod.GET, "/v1/history/")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(routes.match(HttpMethod.GET, "/v1/history/a/b")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(routes.match(HttpMethod.GET, "/v1/history")).isInstanceOf(RouteTable.NotFound.class);
    }

    @Test
    void aBadlyEncodedPathIsABadRequest() {
        assertThatThrownBy(() -> routes.match(HttpMethod.GET, "/v1/history/%zz")).isInstanceOf(ProtocolException.class);
        assertThat(routes.patternOf("/v1/history/%zz")).isEqualTo("unmatched");
        assertThat(routes.patternOf("/v1/history/x")).isEqualTo("/v1/history/{conversation}");
    }
}
