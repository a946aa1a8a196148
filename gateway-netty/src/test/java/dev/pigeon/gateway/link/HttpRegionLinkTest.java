package dev.pigeon.gateway.link;

import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.region.Placement;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.router.region.Standing;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.StorageUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The region link end to end: {@link HttpRegionLink} calling a real {@link LinkServer} over loopback. */
class HttpRegionLinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Room for a slow machine beyond the link's own timeout; the test asserts an outcome, not a speed. */
    private static final Duration WAIT = TIMEOUT.plusSeconds(8);
    private static final String BODY = "h\u00e9llo \u4e2d\u6587 \ud83d\udc26 \"quoted\" \\ back\nline\ttab \u0000 end";

    private final RecordingCalls calls = new RecordingCalls();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private LinkServer server;
    private HttpRegionLink link;

    @BeforeEach
    void start() {
        server = open(LinkServers.start(calls, Duration.ofSeconds(10)));
        link = open(linkTo(LinkServers.url(server)));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(0, closeable);
        return closeable;
    }

    private HttpRegionLink linkTo(URI... urls) {
        return new HttpRegionLink(Map.of("eu", List.of(urls)), LinkServers.SECRET, TIMEOUT);
    }

    private RegionCalls eu() {
        return link.to("eu");
    }

    @Test
    void aSendRoundTripsEveryValue() {
        Frame.Send withEverything = new Frame.Send("r\u00e9f", "m-\u4e2d", "g:team", null, BODY, "image/jpeg");
        Frame.Send plain = new Frame.Send(null, "m-2", "dm:alice:bob", null, "", null);

        assertThat(eu().send("alice", withEverything)).succeedsWithin(WAIT).isEqualTo(calls.sent);
        calls.sent = new Frame.Sent(null, "m-2", "dm:alice:bob", Long.MAX_VALUE, 1, 0);
        assertThat(eu().send("bob", plain)).succeedsWithin(WAIT).isEqualTo(calls.sent);

        assertThat(calls.calls).containsExactly(List.of("send", "alice", withEverything), List.of("send", "bob", plain));
    }

    @Test
    void placingRoundTripsEntriesAndThePlacement() {
        List<LogEntry> entries = List.of(
                new LogEntry("g:team", 5, "alice", "m-5", BODY, null, 1_700_000_000_000L),
                new LogEntry("g:team", 6, "bob", "m-\u00e9", "https://cdn/x.png", "image/png", 1_700_000_000_001L));

        assertThat(eu().place("g:team", entries)).succeedsWithin(WAIT).isEqualTo(calls.placement);
        calls.placement = new Placement(0, Map.of());
        assertThat(eu().place("g:team", List.of())).succeedsWithin(WAIT).isEqualTo(calls.placement);

        assertThat(calls.calls).containsExactly(List.of("place", "g:team", entries), List.of("place", "g:team", List.of()));
    }

    @Test
    void deliveriesRoundTripInEveryVariant() {
        List<Delivery> deliveries = List.of(
                new Delivery.Message("bob", new InboxEntry(3, new LogEntry("dm:alice:bob", 2, "alice", "m-1", BODY,
                        null, 1_700_000_000_000L))),
                new Delivery.Message("carol", new InboxEntry(Long.MAX_VALUE, new LogEntry("g:team", 1, "alice", "m-2",
                        "x", "text/markdown", 0))),
                new Delivery.Receipt("alice", new Frame.Receipt("g:team", "bob", 12)),
                new Delivery.Disconnect("bob", "moved to \u00e9u"),
                new Delivery.Disconnect("bob", null));

        assertThat(eu().deliver(deliveries)).succeedsWithin(WAIT);

        assertThat(calls.calls).containsExactly(List.of("deliver", deliveries));
    }

    @Test
    void offsetsAndForgottenHomesRoundTrip() {
        assertThat(eu().ack("alice", "ph\u00f6ne", 42)).succeedsWithin(WAIT);
        assertThat(eu().ack("alice", "default", 0)).succeedsWithin(WAIT);
        assertThat(eu().read("bob", "dm:alice:bob", Long.MAX_VALUE)).succeedsWithin(WAIT);
        assertThat(eu().forgetHome(HomeStore.Kind.USER, "alice")).succeedsWithin(WAIT);
        assertThat(eu().forgetHome(HomeStore.Kind.CONVERSATION, "dm:alice:bob")).succeedsWithin(WAIT);

        assertThat(calls.calls).containsExactly(
                List.of("ack", "alice", "ph\u00f6ne", 42L),
                List.of("ack", "alice", "default", 0L),
                List.of("read", "bob", "dm:alice:bob", Long.MAX_VALUE),
                List.of("forgetHome", HomeStore.Kind.USER, "alice"),
                List.of("forgetHome", HomeStore.Kind.CONVERSATION, "dm:alice:bob"));
    }

    @Test
    void sessionsAndStatsRoundTrip() {
        assertThat(eu().sessions(List.of("alice", "bob", "alice"))).succeedsWithin(WAIT).isEqualTo(calls.sessions);
        assertThat(eu().stats()).succeedsWithin(WAIT).isEqualTo(calls.stats);
        assertThat(calls.calls).containsExactly(List.of("sessions", List.of("alice", "bob")), List.of("stats"));
    }

    @Test
    void standingRoundTrips() {
        assertThat(eu().standing()).succeedsWithin(WAIT).isEqualTo(calls.standing);
        calls.standing = new Standing("eu", Set.of(), List.of());
        assertThat(eu().standing()).succeedsWithin(WAIT).isEqualTo(calls.standing);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = "UNAUTHORIZED", mode = EnumSource.Mode.EXCLUDE)
    void aRemoteRefusalArrivesWithItsCodeAndMessage(ErrorCode code) {
        calls.outcome = () -> CompletableFuture.failedFuture(new ProtocolException(code, "refused: " + code));

        ProtocolException refusal = failure(eu().send("alice", new Frame.Send(null, "m-1", "g:team", null, "x", null)),
                ProtocolException.class);

        assertThat(refusal.code()).isEqualTo(code);
        assertThat(refusal.getMessage()).isEqualTo("refused: " + code);
    }

    @Test
    void aRemoteStorageOutageIsUnavailable() {
        calls.outcome = () -> CompletableFuture.failedFuture(new StorageUnavailableException("down", null));

        assertThat(failure(eu().ack("alice", "d", 1), ProtocolException.class).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aRemoteFaultIsStorageUnavailableHere() {
        calls.outcome = () -> CompletableFuture.failedFuture(new IllegalStateException("bug"));
        assertThat(failure(eu().standing(), StorageUnavailableException.class)).hasMessageContaining("HTTP 500");

        calls.outcome = () -> {
            throw new IllegalStateException("thrown, not failed");
        };
        failure(eu().standing(), StorageUnavailableException.class);

        calls.outcome = () -> null;
        failure(eu().standing(), StorageUnavailableException.class);
    }

    @Test
    void aRemoteCallThatNeverEndsIsAnsweredUnavailable() {
        RecordingCalls stuck = new RecordingCalls();
        stuck.outcome = CompletableFuture::new;
        LinkServer slow = open(LinkServers.start(stuck, Duration.ofMillis(200)));
        HttpRegionLink toSlow = open(linkTo(LinkServers.url(slow)));

        assertThat(failure(toSlow.to("eu").standing(), ProtocolException.class).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aWrongSecretIsStorageUnavailableAndCallsNothing() {
        HttpRegionLink wrong = open(new HttpRegionLink(Map.of("eu", List.of(LinkServers.url(server))), "not-it", TIMEOUT));

        assertThat(failure(wrong.to("eu").standing(), StorageUnavailableException.class)).hasMessageContaining("401");
        assertThat(calls.calls).isEmpty();
    }

    @Test
    void anUnreachableRegionIsStorageUnavailableWithinTheTimeout() {
        HttpRegionLink toNowhere = open(linkTo(LinkServers.deadUrl(), LinkServers.deadUrl()));

        assertThat(failure(toNowhere.to("eu").standing(), StorageUnavailableException.class))
                .hasMessageContaining("region eu cannot be reached");
    }

    @Test
    void aNodeThatNeverAnswersIsStorageUnavailableWithinTheTimeout() throws IOException {
        // Connections complete in the kernel's backlog; nothing ever reads or answers them.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpRegionLink toSilent = open(linkTo(URI.create("http://127.0.0.1:" + silent.getLocalPort())));

            assertThat(failure(toSilent.to("eu").place("g:team", List.of()), StorageUnavailableException.class))
                    .hasMessageContaining("did not answer within");
        }
    }

    @Test
    void aDeadFirstNodeIsPassedOverForTheNext() {
        HttpRegionLink twoNodes = open(linkTo(LinkServers.deadUrl(), LinkServers.url(server)));

        assertThat(twoNodes.to("eu").standing()).succeedsWithin(WAIT).isEqualTo(calls.standing);
        assertThat(twoNodes.to("eu").standing()).succeedsWithin(WAIT).isEqualTo(calls.standing);
        assertThat(calls.calls).hasSize(2);
    }

    @Test
    void aNodeAnsweringUnavailableIsPassedOverForTheNext() {
        RecordingCalls refusing = new RecordingCalls();
        refusing.outcome = () -> CompletableFuture.failedFuture(ProtocolException.unavailable("draining"));
        LinkServer unavailable = open(LinkServers.start(refusing, Duration.ofSeconds(10)));
        HttpRegionLink twoNodes = open(linkTo(LinkServers.url(unavailable), LinkServers.url(server)));

        assertThat(twoNodes.to("eu").ack("alice", "d", 5)).succeedsWithin(WAIT);

        assertThat(refusing.calls).containsExactly(List.of("ack", "alice", "d", 5L));
        assertThat(calls.calls).containsExactly(List.of("ack", "alice", "d", 5L));
    }

    @Test
    void closingFailsCallsInFlightAndEveryLaterCall() {
        calls.outcome = CompletableFuture::new;
        CompletionStage<Standing> inFlight = eu().standing();
        await().until(() -> calls.calls.size() == 1);

        link.close();

        failure(inFlight, StorageUnavailableException.class);
        failure(eu().standing(), StorageUnavailableException.class);
    }

    @Test
    void onlyPeersCanBeCalled() {
        assertThat(link.peers()).containsExactly("eu");
        assertThatThrownBy(() -> link.to("us")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLinkNeedsUsableUrlsAndSecret() {
        URI good = URI.create("http://127.0.0.1:7070");
        for (Map<String, List<URI>> regions : List.of(
                Map.of("eu", List.<URI>of()),
                Map.of("eu", List.of(URI.create("ftp://127.0.0.1:7070"))),
                Map.of("eu", List.of(URI.create("http://127.0.0.1:7070/?x=1"))),
                Map.of(" ", List.of(good)))) {
            assertThatThrownBy(() -> new HttpRegionLink(regions, "s", TIMEOUT)).as(regions.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String secret : new String[] {"", "has space", "line\nbreak"}) {
            assertThatThrownBy(() -> new HttpRegionLink(Map.of("eu", List.of(good)), secret, TIMEOUT))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new HttpRegionLink(Map.of("eu", List.of(good)), "s", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The failure {@code stage} ends with, which must be a {@code type}. */
    private static <T extends Throwable> T failure(CompletionStage<?> stage, Class<T> type) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertThat(future).failsWithin(WAIT);
        Throwable cause = catchThrowable(future::join);
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(type);
        return type.cast(cause);
    }
}
