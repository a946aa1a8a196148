package dev.pigeon.gateway.link;

import dev.pigeon.gateway.http.Endpoint;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.http.RouteTable;
import dev.pigeon.gateway.link.LinkMessages.AckRequest;
import dev.pigeon.gateway.link.LinkMessages.PlaceRequest;
import dev.pigeon.gateway.link.LinkMessages.PlacementBody;
import dev.pigeon.gateway.link.LinkMessages.ReadRequest;
import dev.pigeon.gateway.link.LinkMessages.SendRequest;
import dev.pigeon.gateway.link.LinkMessages.SessionsBody;
import dev.pigeon.gateway.link.LinkMessages.StandingBody;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.router.Delivery;
import dev.pigeon.router.region.RegionCalls;
import dev.pigeon.storage.StorageUnavailableException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The routes of the region link, each a call into the local {@link RegionCalls}. A refusal of the
 * calls ({@link ProtocolException}) is answered with its PROTOCOL.md status and error frame; an
 * unreachable store, or a call that does not finish within the call timeout, with 503
 * {@code unavailable}; anything else is a fault here, logged and answered 500.
 */
final class LinkEndpoints {
    private static final Logger log = LoggerFactory.getLogger(LinkEndpoints.class);

    private final RegionCalls calls;
    private final LinkRequests requests;
    private final long callTimeoutMillis;

    LinkEndpoints(RegionCalls calls, FrameValidator validator, Duration callTimeout) {
        this.calls = calls;
        this.requests = new LinkRequests(validator);
        this.callTimeoutMillis = callTimeout.toMillis();
    }

    RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes
                .route(HttpMethod.POST, LinkMessages.SEND, guarded(this::send))
                .route(HttpMethod.POST, LinkMessages.PLACE, guarded(this::place))
                .route(HttpMethod.POST, LinkMessages.DELIVER, guarded(this::deliver))
                .route(HttpMethod.POST, LinkMessages.ACK, guarded(this::ack))
                .route(HttpMethod.POST, LinkMessages.READ, guarded(this::read))
                .route(HttpMethod.POST, LinkMessages.FORGET_HOME, guarded(this::forgetHome))
                .route(HttpMethod.GET, LinkMessages.STANDING, guarded(this::standing))
                .route(HttpMethod.POST, LinkMessages.SESSIONS, guarded(this::sessions))
                .route(HttpMethod.GET, LinkMessages.STATS, guarded(this::stats));
    }

    private void send(HttpExchange exchange) {
        SendRequest request = requests.send(exchange);
        answer(exchange, () -> calls.send(request.sender(), request.send()),
                sent -> exchange.respondJson(HttpResponseStatus.OK, sent));
    }

    private void place(HttpExchange exchange) {
        PlaceRequest request = requests.place(exchange);
        answer(exchange, () -> calls.place(request.conversation(), request.entries()),
                placement -> exchange.respondJson(HttpResponseStatus.OK,
                        new PlacementBody(placement.mark(), placement.seqs())));
    }

    private void deliver(HttpExchange exchange) {
        List<Delivery> deliveries = requests.deliver(exchange);
        answer(exchange, () -> calls.deliver(deliveries), done -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT));
    }

    private void ack(HttpExchange exchange) {
        AckRequest request = requests.ack(exchange);
        answer(exchange, () -> calls.ack(request.user(), request.device(), request.upTo()),
                done -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT));
    }

    private void read(HttpExchange exchange) {
        ReadRequest request = requests.read(exchange);
        answer(exchange, () -> calls.read(request.user(), request.conversation(), request.upTo()),
                done -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT));
    }

    private void forgetHome(HttpExchange exchange) {
        LinkRequests.Forget request = requests.forgetHome(exchange);
        answer(exchange, () -> calls.forgetHome(request.kind(), request.id()),
                done -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT));
    }

    private void standing(HttpExchange exchange) {
        answer(exchange, calls::standing, standing -> exchange.respondJson(HttpResponseStatus.OK,
                new StandingBody(standing.region(), standing.lostRegions().stream().sorted().toList(),
                        standing.nodes())));
    }

    private void sessions(HttpExchange exchange) {
        List<String> users = requests.sessions(exchange);
        answer(exchange, () -> calls.sessions(users),
                sessions -> exchange.respondJson(HttpResponseStatus.OK, new SessionsBody(sessions)));
    }

    private void stats(HttpExchange exchange) {
        answer(exchange, calls::stats, stats -> exchange.respondJson(HttpResponseStatus.OK, stats));
    }

    /**
     * Runs a call and answers its outcome on the channel's event loop. A call that throws, returns no
     * stage or never completes is answered all the same: nothing here may leave a request hanging.
     */
    private <T> void answer(HttpExchange exchange, Supplier<CompletionStage<T>> call, Consumer<T> respond) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        try {
            call.get().whenComplete((value, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                } else {
                    outcome.complete(value);
                }
            });
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
        outcome.orTimeout(callTimeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((value, failure) -> exchange.ctx().executor().execute(() -> {
                    if (failure != null) {
                        fail(exchange, failure);
                        return;
                    }
                    try {
                        respond.accept(value);
                    } catch (RuntimeException e) {
                        fail(exchange, e);
                    }
                }));
    }

    /** Answers what a handler threw itself the same way as what a call failed with. */
    private static Endpoint guarded(Endpoint endpoint) {
        return exchange -> {
            try {
                endpoint.handle(exchange);
            } catch (Exception e) {
                fail(exchange, e);
            }
        };
    }

    private static void fail(HttpExchange exchange, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProtocolException refusal) {
            exchange.fail(refusal);
        } else if (cause instanceof StorageUnavailableException || cause instanceof TimeoutException) {
            exchange.fail(ProtocolException.unavailable("storage is unreachable or slow; retry later"));
        } else {
            log.error("a region link request to {} failed", exchange.path(), cause);
            exchange.failWithStatus(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    new Frame.Error(ErrorCode.UNAVAILABLE.wireName(), "internal error; retry later", null),
                    ErrorCode.UNAVAILABLE);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
