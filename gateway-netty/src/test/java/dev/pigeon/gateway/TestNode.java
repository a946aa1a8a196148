package dev.pigeon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.gateway.auth.TokenIssuer;
import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.ProtocolJson;
import dev.pigeon.router.DefaultRouter;
import dev.pigeon.router.LocalNodeBus;
import dev.pigeon.router.LocalPresence;
import dev.pigeon.router.RouterLimits;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real edge node on loopback, on free ports, wired to the embedded store, the in-process router,
 * presence and node bus: what the end-to-end tests talk to over real sockets.
 *
 * <p>As a JUnit extension it gives every test a fresh node, started before the test and stopped
 * after it: {@code @RegisterExtension final TestNode node = TestNode.perTest();}. A test that needs
 * a node of its own, or a second one, uses {@link #start()} in a try-with-resources block.
 */
final class TestNode implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    static final String SECRET = "test-secret-that-is-long-enough-for-hs256";
    static final String ADMIN_TOKEN = "admin-token";
    private static final Supplier<CompletionStage<Boolean>> ALWAYS_READY = () -> CompletableFuture.completedFuture(true);

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final LocalPresence presence = LocalPresence.create();
    final TokenIssuer tokens = new TokenIssuer(SECRET, java.time.Clock.systemUTC());
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final UnaryOperator<GatewayConfig.Builder> tweak;
    private final Supplier<CompletionStage<Boolean>> readiness;
    private final UnaryOperator<GatewayServer.Builder> serverTweak;
    // set by open(): a per-test node has none of these until its test begins
    Path dir;
    EmbeddedMessageStore store;
    LocalNodeBus bus;
    DefaultRouter router;
    GatewayServer server;

    private TestNode(UnaryOperator<GatewayConfig.Builder> tweak, Supplier<CompletionStage<Boolean>> readiness,
                     UnaryOperator<GatewayServer.Builder> serverTweak) {
        this.tweak = tweak;
        this.readiness = readiness;
        this.serverTweak = serverTweak;
    }

    /** A node for each test of the class that registers it; {@code tweak} adjusts the defaults. */
    static TestNode perTest(UnaryOperator<GatewayConfig.Builder> tweak) {
        return new TestNode(tweak, ALWAYS_READY, b -> b);
    }

    /** A node for each test whose server is given more parts by {@code serverTweak} (regions, the link). */
    static TestNode perTestWithServer(UnaryOperator<GatewayServer.Builder> serverTweak) {
        return new TestNode(b -> b, ALWAYS_READY, serverTweak);
    }

    static TestNode perTest() {
        return perTest(b -> b);
    }

    static TestNode start() throws IOException {
        return start(b -> b);
    }

    static TestNode start(UnaryOperator<GatewayConfig.Builder> tweak) throws IOException {
        return start(tweak, ALWAYS_READY);
    }

    static TestNode start(UnaryOperator<GatewayConfig.Builder> tweak, Supplier<CompletionStage<Boolean>> readiness)
            throws IOException {
        TestNode node = new TestNode(tweak, readiness, b -> b);
        node.open();
        return node;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        open();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }

    private void open() throws IOException {
        dir = Files.createTempDirectory("pigeon-gateway-test");
        store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.builder().syncWrites(false).build());
        bus = LocalNodeBus.create();
        GatewayConfig config = tweak.apply(GatewayConfig.builder()
                .bindHost("127.0.0.1").port(0).adminPort(0)
                .jwtSecret(SECRET).adminToken(ADMIN_TOKEN)).build();
        FrameValidator validator = new FrameValidator();
        SingleRegionHomeDirectory homes = new SingleRegionHomeDirectory(config.region());
        router = DefaultRouter.builder().nodeId(config.nodeId()).store(store).homes(homes).presence(presence)
                .bus(bus).validator(validator).meterRegistry(registry)
                .limits(RouterLimits.defaults().withSendsPerSecond(1_000_000)).build();
        server = serverTweak.apply(GatewayServer.builder().config(config).router(router).groups(router)
                .presence(presence).homes(homes).validator(validator).meterRegistry(registry)
                .readiness(readiness)).build().start();
    }

    String token(String user) {
        return tokens.issue(user, Duration.ofHours(1));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    URI wsUri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery);
    }

    URI adminUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.adminPort() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String token) {
        return send(authorized(HttpRequest.newBuilder(uri(pathAndQuery)), token).GET().build());
    }

    HttpResponse<String> post(String pathAndQuery, String token, String body) {
        return send(authorized(HttpRequest.newBuilder(uri(pathAndQuery)), token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> delete(String pathAndQuery, String token) {
        return send(authorized(HttpRequest.newBuilder(uri(pathAndQuery)), token).DELETE().build());
    }

    HttpResponse<String> admin(String method, String pathAndQuery, String adminToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(adminUri(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        return send(authorized(request, adminToken).build());
    }

    HttpResponse<String> adminPost(String pathAndQuery, String adminToken, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(adminUri(pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(authorized(request, adminToken).build());
    }

    /** Sends a message over HTTP and returns the {@code sent} frame. */
    JsonNode sendMessage(String from, String to, String id, String body) {
        HttpResponse<String> response = post("/v1/send", token(from),
                "{\"type\":\"send\",\"id\":\"" + id + "\",\"to\":\"" + to + "\",\"body\":\"" + body + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("send failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        request.timeout(Duration.ofSeconds(40));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    static JsonNode json(String text) {
        try {
            return ProtocolJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop();
        router.close();
        bus.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
