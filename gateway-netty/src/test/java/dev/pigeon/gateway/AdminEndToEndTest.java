package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class AdminEndToEndTest {
    @RegisterExtension
    final TestNode node = TestNode.perTest();

    @Test
    void everyAdminPathNeedsTheAdminToken() {
        for (String path : new String[] {"/admin/presence/alice", "/admin/presence?user=alice", "/admin/stats",
                "/metrics", "/admin/nothing"}) {
            assertThat(node.admin("GET", path, null).statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> wrong = node.admin("GET", path, "wrong");
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            assertThat(TestNode.json(wrong.body()).path("code").asText()).isEqualTo("unauthorized");
        }
        assertThat(node.admin("POST", "/admin/users/alice/disconnect", node.token("alice")).statusCode()).isEqualTo(401);
        assertThat(node.admin("GET", "/admin/nothing", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(node.get("/admin/stats", null).statusCode()).as("not on the public port").isEqualTo(404);
    }

    @Test
    void presenceShowsEverySessionOfAUser() throws Exception {
        try (WsClient ws = WsClient.connect(node, node.token("alice"), "");
             SseClient sse = SseClient.open(node, "/v1/sse", node.token("alice"))) {
            ws.next("hello");
            sse.nextEvent();
            HttpResponse<String> response = node.admin("GET", "/admin/presence/alice", TestNode.ADMIN_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode alice = TestNode.json(response.body());
            assertThat(alice.path("user").asText()).isEqualTo("alice");
            assertThat(alice.path("online").asBoolean()).isTrue();
            assertThat(alice.path("home_region").asText()).isEqualTo("local");
            assertThat(alice.path("sessions")).hasSize(2);
            assertThat(alice.path("sessions")).extracting(s -> s.path("transport").asText())
                    .containsExactlyInAnyOrder("ws", "sse");
            JsonNode session = alice.path("sessions").get(0);
            assertThat(session.fieldNames()).toIterable().containsExactlyInAnyOrder("session", "node", "region",
                    "transport", "device", "connected_at", "last_seen");
            assertThat(session.path("node").asText()).isEqualTo("node-1");
            assertThat(session.path("connected_at").asLong()).isPositive();

            JsonNode many = TestNode.json(node.admin("GET", "/admin/presence?user=alice&user=bob",
                    TestNode.ADMIN_TOKEN).body());
            assertThat(many.path("users")).hasSize(2);
            assertThat(many.path("users").get(1).path("user").asText()).isEqualTo("bob");
            assertThat(many.path("users").get(1).path("online").asBoolean()).isFalse();
            assertThat(many.path("users").get(1).path("sessions")).isEmpty();

            JsonNode stats = TestNode.json(node.admin("GET", "/admin/stats", TestNode.ADMIN_TOKEN).body());
            assertThat(stats.path("online_users").asLong()).isEqualTo(1);
            assertThat(stats.path("sessions").asLong()).isEqualTo(2);
            assertThat(stats.path("by_region").path("local").asLong()).isEqualTo(2);
            assertThat(stats.path("by_node").path("node-1").asLong()).isEqualTo(2);
            assertThat(stats.path("by_transport").path("ws").asLong()).isEqualTo(1);
            assertThat(stats.path("by_transport").path("sse").asLong()).isEqualTo(1);
        }
    }

    @Test
    void invalidUsersAreBadRequests() {
        assertThat(node.admin("GET", "/admin/presence/..", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(node.admin("GET", "/admin/presence?user=a%20b", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(node.admin("POST", "/admin/users/a%20b/disconnect", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void disconnectEndsSseStreamsToo() throws Exception {
        try (SseClient sse = SseClient.open(node, "/v1/sse", node.token("alice"))) {
            sse.nextEvent();
            HttpResponse<String> response = node.admin("POST", "/admin/users/alice/disconnect", TestNode.ADMIN_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestNode.json(response.body()).path("user").asText()).isEqualTo("alice");
            assertThat(sse.awaitEnd()).isTrue();
        }
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() {
        try (WsClient ws = WsClient.connect(node, node.token("alice"), "")) {
            ws.next("hello");
            ws.send("{\"type\":\"ping\"}");
            ws.next("pong");
            ws.send("{\"type\":\"nope\"}");
            ws.next("error");
            node.get("/v1/nothing", null);
            HttpResponse<String> metrics = node.admin("GET", "/metrics", TestNode.ADMIN_TOKEN);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("pigeon_gateway_sessions{transport=\"ws\"} 1.0")
                    .contains("pigeon_gateway_frames_in_total{transport=\"ws\",type=\"ping\"} 1.0")
                    .contains("pigeon_gateway_frames_out_total{transport=\"ws\",type=\"pong\"} 1.0")
                    .contains("pigeon_gateway_errors_total{code=\"bad_request\"}")
                    .contains("pigeon_gateway_http_requests_total{route=\"unmatched\",status=\"404\"} 1.0");
        }
    }
}
