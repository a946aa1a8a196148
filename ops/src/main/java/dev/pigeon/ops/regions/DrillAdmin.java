package dev.pigeon.ops.regions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The admin levers the drill pulls on a surviving region ({@code POST /admin/regions/{region}/...}),
 * asked of each of its nodes in turn until one answers, as long as the refusals are worth retrying
 * (a node down, {@code 503} while what it needs comes back).
 */
final class DrillAdmin {
    private static final Logger log = LoggerFactory.getLogger(DrillAdmin.class);
    private static final Duration PAUSE = Duration.ofSeconds(1);

    private final DrillHttp http;
    private final List<NodeEndpoints> nodes;
    private final String adminToken;

    DrillAdmin(DrillHttp http, List<NodeEndpoints> nodes, String adminToken) {
        this.http = http;
        this.nodes = List.copyOf(nodes);
        this.adminToken = adminToken;
    }

    JsonNode failover(String region, Duration limit) throws InterruptedException {
        return post("/admin/regions/" + region + "/failover", limit);
    }

    JsonNode reconcile(String region, Duration limit) throws InterruptedException {
        return post("/admin/regions/" + region + "/reconcile", limit);
    }

    /** The first 2xx answer, or {@code {"error": "..."}} once {@code limit} has passed or a refusal is final. */
    private JsonNode post(String path, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        IOException last = null;
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            NodeEndpoints node = nodes.get(attempt % nodes.size());
            try {
                return http.admin(node, adminToken, path);
            } catch (DrillHttpException e) {
                if (!e.retryable()) {
                    return error(e);
                }
                last = e;
            } catch (IOException e) {
                last = e;
            }
            log.info("{} on {}: {}; asking again", path, node.nodeId(), last.getMessage());
            Thread.sleep(PAUSE.toMillis());
        }
        return error(last != null ? last : new IOException(path + ": no answer within " + limit.toSeconds() + " s"));
    }

    private static JsonNode error(IOException e) {
        return JsonNodeFactory.instance.objectNode().put("error", String.valueOf(e.getMessage()));
    }
}
