package dev.pigeon.router;

import dev.pigeon.homing.SingleRegionHomeDirectory;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A router of node {@code node-1} over a real embedded store in a fresh directory, in-process
 * presence and bus, and a clock the test moves; started before each test and closed after it.
 * Register it on an instance field, {@code @RegisterExtension final RouterFixture fixture =
 * RouterFixture.create();}, so each test gets its own. Further routers (other nodes) share the
 * same store, presence and bus.
 */
final class RouterFixture implements BeforeEachCallback, AfterEachCallback {
    static final String REGION = "local";
    static final String NODE = "node-1";
    /** Short, so that tests see beats quickly; the clock, not the beat, decides expiry. */
    static final Duration HEARTBEAT = Duration.ofMillis(50);

    final MutableClock clock = new MutableClock(1_700_000_000_000L);
    final LocalPresence presence = LocalPresence.create(clock, LocalPresence.DEFAULT_TTL);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final RouterLimits limits;
    private final UnaryOperator<MessageStore> wrap;
    private final List<DefaultRouter> routers = new ArrayList<>();
    // set before each test
    private Path dir;
    LocalNodeBus bus;
    EmbeddedMessageStore embedded;
    MessageStore store;
    DefaultRouter router;

    private RouterFixture(RouterLimits limits, UnaryOperator<MessageStore> wrap) {
        this.limits = limits;
        this.wrap = wrap;
    }

    static RouterFixture create() {
        return create(RouterLimits.defaults());
    }

    static RouterFixture create(RouterLimits limits) {
        return create(limits, UnaryOperator.identity());
    }

    /** A fixture whose routers see the embedded store through {@code wrap}. */
    static RouterFixture create(RouterLimits limits, UnaryOperator<MessageStore> wrap) {
        return new RouterFixture(limits, wrap);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("pigeon-router-");
        bus = LocalNodeBus.create();
        embedded = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.builder().syncWrites(false).build());
        store = wrap.apply(embedded);
        router = router(NODE);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        routers.forEach(DefaultRouter::close);
        bus.close();
        embedded.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Another node's router over the same store, presence and bus. */
    DefaultRouter router(String nodeId) {
        return router(nodeId, presence, bus);
    }

    /** Another node's router over the same store, seeing presence and the bus through the ones given. */
    DefaultRouter router(String nodeId, Presence presence, NodeBus bus) {
        DefaultRouter created = DefaultRouter.builder()
                .nodeId(nodeId)
                .store(store)
                .homes(new SingleRegionHomeDirectory(REGION))
                .presence(presence)
                .bus(bus)
                .limits(limits)
                .meterRegistry(meters)
                .clock(clock)
                .heartbeatInterval(HEARTBEAT)
                .build();
        routers.add(created);
        return created;
    }

    Frame.Sent send(String user, String conversation, String id, String body) {
        return await(router.send(user, new Frame.Send(null, id, conversation, null, body, null)));
    }

    List<InboxEntry> inbox(String user) {
        return await(store.readInbox(user, 0, 1000));
    }

    SessionInfo session(String user, String session) {
        return session(user, session, NODE);
    }

    SessionInfo session(String user, String session, String node) {
        return new SessionInfo(session, user, node, REGION, "ws", "device-" + session, clock.millis(), clock.millis());
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stage did not complete normally", e);
        }
    }

    /** The protocol error a stage failed with; the router fails stages with the bare exception. */
    static ProtocolException failureOf(CompletionStage<?> stage) {
        Throwable failure = await(stage.handle((value, thrown) -> thrown));
        assertThat(failure).as("failure of the stage").isInstanceOf(ProtocolException.class);
        return (ProtocolException) failure;
    }

    static Duration patience() {
        return Duration.ofSeconds(10);
    }
}
