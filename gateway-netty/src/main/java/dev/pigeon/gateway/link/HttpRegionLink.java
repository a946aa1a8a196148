package dev.pigeon.gateway.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.gateway.link.LinkMessages.AckRequest;
import dev.pigeon.gateway.link.LinkMessages.DeliverRequest;
import dev.pigeon.gateway.link.LinkMessages.ForgetHomeRequest;
import dev.pigeon.gateway.link.LinkMessages.PlaceRequest;
import dev.pigeon.gateway.link.LinkMessages.PlacementBody;
import dev.pigeon.gateway.link.LinkMessages.ReadRequest;
import dev.pigeon.gateway.link.LinkMessages.SendRequest;
import dev.pigeon.gateway.link.LinkMessages.SessionsBody;
import dev.pigeon.gateway.link.LinkMessages.SessionsRequest;
import dev.pigeon.gateway.link.LinkMessages.StandingBody;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.ProtocolJson;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.DeliveryCodec;
import dev.pigeon.router.PresenceStats;
import dev.pigeon.router.SessionInfo;
import dev.pigeon.router.region.Placement;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.router.region.RegionLink;
import dev.pigeon.router.region.Standing;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The client side of the region link: {@link RegionCalls} of each peer region carried over HTTP/1.1
 * to the {@link LinkServer} of one of its nodes. Calls never block the caller; their stages complete
 * on the link's own threads.
 *
 * <p>Each region is reached through a list of node base URLs. A call goes to the node that last
 * answered, and moves on to the next when a node cannot be reached (refused, reset, no connection
 * within the timeout) or answers 503 {@code unavailable}; every link call is idempotent, so trying it
 * again elsewhere is safe. A node that connects but does not answer within the timeout ends the call.
 * A refusal comes back as the remote {@link ProtocolException} with the same code; a region that
 * cannot be reached, did not answer in time or answered something that is not the link's protocol
 * as {@link StorageUnavailableException}.
 */
public final class HttpRegionLink implements RegionLink {
    private static final Logger log = LoggerFactory.getLogger(HttpRegionLink.class);
    private static final String JSON = "application/json";

    private final Map<String, Peer> peers;
    private final String authorization;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param regions        each peer region and the base URLs of its nodes' link ports
     *                       ({@code http://10.0.2.7:7070}), in the order to try them
     * @param secret         the link secret the peers' servers require
     * @param requestTimeout how long one attempt may take, connecting included
     */
    public HttpRegionLink(Map<String, List<URI>> regions, String secret, Duration requestTimeout) {
        Objects.requireNonNull(regions, "regions");
        if (secret == null || secret.isEmpty() || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the link secret must be printable ASCII without spaces");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        Map<String, Peer> byRegion = new LinkedHashMap<>();
        regions.forEach((region, urls) -> byRegion.put(region, new Peer(region, baseUrls(region, urls))));
        this.peers = Map.copyOf(byRegion);
        this.authorization = "Bearer " + secret;
        this.timeout = requestTimeout;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "pigeon-region-link-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .executor(executor)
                .build();
    }

    private static List<String> baseUrls(String region, List<URI> urls) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("a region name must not be blank");
        }
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("region " + region + " needs at least one URL");
        }
        return urls.stream().map(url -> {
            boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
            if (!http || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("region " + region + ": " + url + " is not an http(s) base URL");
            }
            return url.toString().replaceAll("/+$", "");
        }).toList();
    }

    @Override
    public Set<String> peers() {
        return peers.keySet();
    }

    @Override
    public RegionCalls to(String region) {
        Peer peer = peers.get(region);
        if (peer == null) {
            throw new IllegalArgumentException(region + " is not a peer region");
        }
        return peer;
    }

    /** Fails every call in flight and every later one with {@link StorageUnavailableException}. */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> call : inFlight) {
            call.completeExceptionally(new StorageUnavailableException("the region link is closed", null));
        }
        executor.shutdown();
    }

    /** One peer region: its calls, and the node that answered last. */
    private final class Peer implements RegionCalls {
        private final String region;
        private final List<String> baseUrls;
        private final AtomicInteger preferred = new AtomicInteger();

        Peer(String region, List<String> baseUrls) {
            this.region = region;
            this.baseUrls = baseUrls;
        }

        @Override
        public CompletionStage<Frame.Sent> send(String sender, Frame.Send send) {
            return call(this, LinkMessages.SEND, new SendRequest(sender, send), json(Frame.Sent.class));
        }

        @Override
        public CompletionStage<Placement> place(String conversation, List<LogEntry> entries) {
            return call(this, LinkMessages.PLACE, new PlaceRequest(conversation, entries), json(PlacementBody.class)
                    .andThen(body -> new Placement(Objects.requireNonNull(body.mark(), "mark"),
                            Objects.requireNonNull(body.seqs(), "seqs"))));
        }

        @Override
        public CompletionStage<Void> deliver(List<Delivery> deliveries) {
            DeliverRequest request;
            try {
                request = new DeliverRequest(deliveries.stream().<JsonNode>map(DeliveryCodec::toJson).toList());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
            return call(this, LinkMessages.DELIVER, request, nothing());
        }

        @Override
        public CompletionStage<Void> ack(String user, String device, long upTo) {
            return call(this, LinkMessages.ACK, new AckRequest(user, device, upTo), nothing());
        }

        @Override
        public CompletionStage<Void> read(String user, String conversation, long upTo) {
            return call(this, LinkMessages.READ, new ReadRequest(user, conversation, upTo), nothing());
        }

        @Override
        public CompletionStage<Void> forgetHome(HomeStore.Kind kind, String id) {
            return call(this, LinkMessages.FORGET_HOME, new ForgetHomeRequest(kind.name(), id), nothing());
        }

        @Override
        public CompletionStage<Map<String, List<SessionInfo>>> sessions(List<String> users) {
            return call(this, LinkMessages.SESSIONS, new SessionsRequest(users), json(SessionsBody.class)
                    .andThen(body -> Objects.requireNonNull(body.sessions(), "sessions")));
        }

        @Override
        public CompletionStage<PresenceStats> stats() {
            return call(this, LinkMessages.STATS, null, json(PresenceStats.class));
        }

        @Override
        public CompletionStage<Standing> standing() {
            return call(this, LinkMessages.STANDING, null, json(StandingBody.class)
                    .andThen(body -> new Standing(Objects.requireNonNull(body.region(), "region"),
                            Set.copyOf(body.lostRegions()), body.nodes())));
        }
    }

    /** Posts {@code request} as JSON (or GETs {@code path} when it is null) and decodes a 2xx answer. */
    private <T> CompletableFuture<T> call(Peer peer, String path, Object request, Function<byte[], T> decode) {
        byte[] body;
        try {
            body = request == null ? null : ProtocolJson.mapper().writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a link request cannot be written", e));
        }
        CompletableFuture<HttpResponse<byte[]>> outcome = new CompletableFuture<>();
        if (closed) {
            outcome.completeExceptionally(new StorageUnavailableException("the region link is closed", null));
        } else {
            inFlight.add(outcome);
            outcome.whenComplete((response, failure) -> inFlight.remove(outcome));
            attempt(peer, path, body, peer.preferred.get(), peer.baseUrls.size(), outcome);
        }
        return outcome.thenApply(response -> answer(peer, path, response, decode));
    }

    private void attempt(Peer peer, String path, byte[] body, int node, int left,
                         CompletableFuture<HttpResponse<byte[]>> outcome) {
        if (outcome.isDone()) {
            return;
        }
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request(peer.baseUrls.get(node) + path, body),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            outcome.completeExceptionally(unreachable(peer, e));
            return;
        }
        sent.whenComplete((response, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean elsewhere = cause != null ? connectFailure(cause) : response.statusCode() == 503;
            if (elsewhere && left > 1) {
                attempt(peer, path, body, (node + 1) % peer.baseUrls.size(), left - 1, outcome);
            } else if (cause != null) {
                outcome.completeExceptionally(unreachable(peer, cause));
            } else {
                if (response.statusCode() != 503) {
                    peer.preferred.set(node);
                }
                outcome.complete(response);
            }
        });
    }

    private HttpRequest request(String url, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", authorization);
        if (body == null) {
            return request.GET().build();
        }
        return request.header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** True when the node could not be talked to at all, rather than being slow to answer. */
    private static boolean connectFailure(Throwable cause) {
        boolean answerTimedOut = cause instanceof HttpTimeoutException
                && !(cause instanceof HttpConnectTimeoutException);
        return cause instanceof IOException && !answerTimedOut;
    }

    private StorageUnavailableException unreachable(Peer peer, Throwable cause) {
        if (cause instanceof StorageUnavailableException unavailable) {
            return unavailable;
        }
        String why = cause instanceof HttpTimeoutException ? "did not answer within " + timeout.toMillis() + " ms"
                : "cannot be reached (" + cause + ")";
        return new StorageUnavailableException("region " + peer.region + " " + why, cause);
    }

    private static <T> T answer(Peer peer, String path, HttpResponse<byte[]> response, Function<byte[], T> decode) {
        if (response.statusCode() / 100 != 2) {
            throw refusal(peer, path, response);
        }
        try {
            return decode.apply(response.body());
        } catch (RuntimeException e) {
            throw new StorageUnavailableException("region " + peer.region + " answered " + path
                    + " with a malformed body", e);
        }
    }

    /**
     * The remote error frame as the {@link ProtocolException} it was, when its status is the one its
     * code maps to. Anything else (a wrong link secret, a fault there, a proxy's page) means the
     * region could not serve the call: {@link StorageUnavailableException}.
     */
    private static RuntimeException refusal(Peer peer, String path, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Frame.Error error = errorFrame(response.body());
        if (error != null && status != ErrorCode.UNAUTHORIZED.httpStatus()) {
            for (ErrorCode code : ErrorCode.values()) {
                if (code.wireName().equals(error.code()) && code.httpStatus() == status) {
                    return new ProtocolException(code, error.message(), error.ref());
                }
            }
        }
        if (status == ErrorCode.UNAUTHORIZED.httpStatus()) {
            log.error("region {} refused the link secret: the regions must share one", peer.region);
        }
        return new StorageUnavailableException("region " + peer.region + " answered " + path + " with HTTP " + status
                + (error == null ? "" : ": " + error.message()), null);
    }

    private static Frame.Error errorFrame(byte[] body) {
        try {
            return ProtocolJson.mapper().readValue(body, Frame.ServerFrame.class) instanceof Frame.Error error
                    ? error : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static <T> Function<byte[], T> json(Class<T> type) {
        return body -> {
            try {
                return Objects.requireNonNull(ProtocolJson.mapper().readValue(body, type), "body");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Function<byte[], Void> nothing() {
        return body -> null;
    }
}
