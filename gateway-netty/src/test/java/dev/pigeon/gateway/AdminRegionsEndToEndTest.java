package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdminRegionsEndToEndTest {
    private final FakeRegionAdmin regions = new FakeRegionAdmin();

    @RegisterExtension
    final TestNode node = TestNode.perTestWithServer(server -> server.regionAdmin(regions));

    @Test
    void regionsShowStateHealthNodesAndLag() {
        HttpResponse<String> response = node.admin("GET", "/admin/regions", TestNode.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(response.body())).isEqualTo(TestNode.json("{\"regions\":["
                + "{\"region\":\"eu\",\"state\":\"active\",\"healthy\":true,\"nodes\":[\"eu-1\",\"eu-2\"],\"lag_ms\":0},"
                + "{\"region\":\"us\",\"state\":\"lost\",\"healthy\":false,\"nodes\":[]}]}"));
    }

    @Test
    void aUserIsRehomedToTheRegionTheBodyNames() {
        HttpResponse<String> response = node.adminPost("/admin/users/alice/home", TestNode.ADMIN_TOKEN,
                "{\"region\":\"us\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(response.body())).isEqualTo(TestNode.json(
                "{\"user\":\"alice\",\"from_region\":\"eu\",\"to_region\":\"us\",\"epoch\":3}"));
        assertThat(regions.calls).containsExactly(List.of("rehome", "alice", "us"));
    }

    @Test
    void aFailoverReportsWhatItMoved() {
        HttpResponse<String> response = node.admin("POST", "/admin/regions/us/failover", TestNode.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(response.body())).isEqualTo(TestNode.json("{\"region\":\"us\",\"survivor\":\"eu\","
                + "\"users_moved\":120,\"conversations_moved\":45,\"took_ms\":873}"));
        assertThat(regions.calls).containsExactly(List.of("failover", "us"));
    }

    @Test
    void aReconciliationReportsEveryOrphan() {
        HttpResponse<String> response = node.admin("POST", "/admin/regions/us/reconcile", TestNode.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(response.body())).isEqualTo(TestNode.json("{\"region\":\"us\",\"orphans\":4,"
                + "\"recovered\":2,\"already_present\":1,\"unrecovered\":[\"g:team#17: sender unknown\"]}"));
        assertThat(regions.calls).containsExactly(List.of("reconcile", "us"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "/admin/users/a%20b/home     | {\"region\":\"us\"}  | user is not a valid id",
            "/admin/users/alice/home     | ``                    | a JSON body is required",
            "/admin/users/alice/home     | {\"region\":        | malformed JSON",
            "/admin/users/alice/home     | [\"us\"]             | the body must be a JSON object",
            "/admin/users/alice/home     | {}                    | region is required",
            "/admin/users/alice/home     | {\"region\":5}       | at region",
            "/admin/users/alice/home     | {\"region\":\"a b\"} | region is not a valid region name",
            "/admin/users/alice/home     | {\"region\":\"..\"}  | region is not a valid region name",
            "/admin/regions/a%20b/failover  | ``                 | region is not a valid region name",
            "/admin/regions/a%3Bb/reconcile | ``                 | region is not a valid region name",
    })
    void badInputIsABadRequestThatMovesNothing(String path, String body, String message) {
        HttpResponse<String> response = node.adminPost(path, TestNode.ADMIN_TOKEN, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestNode.json(response.body());
        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("message").asText()).contains(message);
        assertThat(regions.calls).isEmpty();
    }

    @Test
    void aRefusalOfTheLeversKeepsItsCode() {
        regions.failure = ProtocolException.conflict("alice is already moving");
        HttpResponse<String> raced = node.adminPost("/admin/users/alice/home", TestNode.ADMIN_TOKEN, "{\"region\":\"us\"}");
        assertThat(raced.statusCode()).isEqualTo(409);
        assertThat(TestNode.json(raced.body()).path("message").asText()).isEqualTo("alice is already moving");

        regions.failure = ProtocolException.badRequest("no region named mars");
        assertThat(node.admin("POST", "/admin/regions/mars/failover", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(400);

        regions.failure = new ProtocolException(ErrorCode.UNAVAILABLE, "the region's data centre is not back");
        assertThat(node.admin("POST", "/admin/regions/us/reconcile", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(503);
    }

    @Test
    void everyRegionPathNeedsTheAdminTokenAndItsMethod() {
        for (String path : new String[] {"/admin/users/alice/home", "/admin/regions/us/failover",
                "/admin/regions/us/reconcile"}) {
            assertThat(node.adminPost(path, null, "{\"region\":\"us\"}").statusCode()).as(path).isEqualTo(401);
            assertThat(node.adminPost(path, "wrong", "{\"region\":\"us\"}").statusCode()).as(path).isEqualTo(401);
            assertThat(node.admin("GET", path, TestNode.ADMIN_TOKEN).statusCode()).as(path).isEqualTo(405);
        }
        assertThat(node.admin("GET", "/admin/regions", null).statusCode()).isEqualTo(401);
        assertThat(node.admin("POST", "/admin/regions", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(405);
        assertThat(regions.calls).isEmpty();
    }

    @Test
    void aNodeWithoutRegionsAnswersNotFound() throws Exception {
        try (TestNode single = TestNode.start()) {
            for (String path : new String[] {"/admin/users/alice/home", "/admin/regions/us/failover",
                    "/admin/regions/us/reconcile"}) {
                HttpResponse<String> response = single.adminPost(path, TestNode.ADMIN_TOKEN, "{\"region\":\"us\"}");
                assertThat(response.statusCode()).as(path).isEqualTo(404);
                assertThat(TestNode.json(response.body()).path("code").asText()).isEqualTo("not_found");
                assertThat(TestNode.json(response.body()).path("message").asText()).isEqualTo("this node serves no regions");
            }
            assertThat(single.admin("GET", "/admin/regions", TestNode.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        }
    }
}
