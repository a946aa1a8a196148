package dev.pigeon.gateway;

import dev.pigeon.gateway.link.HttpRegionLink;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.router.region.Placement;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.router.region.Standing;
import dev.pigeon.storage.HomeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A gateway serving the region link on a port of its own, next to the public and admin ports. */
class RegionLinkPortEndToEndTest {
    private static final String SECRET = "link-secret";
    private static final Standing STANDING = new Standing("local", Set.of("us"), List.of("node-1"));

    @RegisterExtension
    final TestNode node = TestNode.perTestWithServer(server -> server.link(new StandingOnly(), 0, SECRET));

    @Test
    void theLinkPortAnswersPeersAndCountsInTheNodesMetrics() {
        try (HttpRegionLink link = new HttpRegionLink(
                Map.of("local", List.of(URI.create("http://127.0.0.1:" + node.server.linkPort()))), SECRET,
                Duration.ofSeconds(5))) {
            assertThat(link.to("local").standing()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(STANDING);
        }
        assertThat(node.server.linkPort()).isNotIn(node.server.port(), node.server.adminPort());
        assertThat(node.admin("GET", "/metrics", TestNode.ADMIN_TOKEN).body())
                .contains("pigeon_gateway_http_requests_total{route=\"/link/v1/standing\",status=\"200\"} 1.0");
    }

    @Test
    void aNodeWithoutALinkHasNoLinkPort() throws Exception {
        try (TestNode single = TestNode.start()) {
            assertThatThrownBy(single.server::linkPort).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Answers standing; nothing else is asked of it here. */
    private static final class StandingOnly implements RegionCalls {
        @Override
        public CompletionStage<Standing> standing() {
            return CompletableFuture.completedFuture(STANDING);
        }

        @Override
        public CompletionStage<Frame.Sent> send(String sender, Frame.Send send) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Placement> place(String conversation, List<LogEntry> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> deliver(List<Delivery> deliveries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> ack(String user, String device, long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> read(String user, String conversation, long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> forgetHome(HomeStore.Kind kind, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Map<String, List<SessionInfo>>> sessions(List<String> users) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<PresenceStats> stats() {
            throw new UnsupportedOperationException();
        }
    }
}
