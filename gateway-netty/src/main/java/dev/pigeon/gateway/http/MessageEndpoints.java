package dev.pigeon.gateway.http;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.Router;
import dev.pigeon.storage.InboxEntry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/**
 * The HTTP half of the message API: {@code POST /v1/send}, {@code /v1/ack}, {@code /v1/read},
 * {@code GET /v1/sync} and {@code GET /v1/history/{conversation}}.
 */
public final class MessageEndpoints {
    /** The device an HTTP {@code ack} counts for when the token names none. */
    static final String DEFAULT_DEVICE = "default";

    private final Router router;
    private final FrameValidator validator;
    private final FrameCodec json;

    public MessageEndpoints(Router router, FrameValidator validator, FrameCodec json) {
        this.router = router;
        this.validator = validator;
        this.json = json;
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes
                .route(HttpMethod.POST, "/v1/send", this::send)
                .route(HttpMethod.POST, "/v1/ack", this::ack)
                .route(HttpMethod.POST, "/v1/read", this::read)
                .route(HttpMethod.GET, "/v1/sync", this::sync)
                .route(HttpMethod.GET, "/v1/history/{conversation}", this::history);
    }

    private void send(HttpExchange exchange) {
        Principal principal = exchange.principal();
        Frame.Send send = validator.send(RequestBodies.frame(exchange, json, Frame.Send.class, "send"),
                principal.user());
        exchange.answer(router.send(principal.user(), send), send.replyRef(),
                sent -> exchange.respondJson(HttpResponseStatus.OK, sent));
    }

    private void ack(HttpExchange exchange) {
        Principal principal = exchange.principal();
        Frame.Ack ack = validator.ack(RequestBodies.frame(exchange, json, Frame.Ack.class, "ack"));
        String device = principal.device() != null ? principal.device() : DEFAULT_DEVICE;
        exchange.answer(router.ack(principal.user(), device, ack.upTo()), ack.ref(),
                done -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT));
    }

    private void read(HttpExchange exchange) {
        Principal principal = exchange.principal();
        Frame.Read read = validator.read(RequestBodies.frame(exchange, json, Frame.Read.class, "read"));
        exchange.answer(router.read(principal.user(), read.conversation(), read.upTo()), read.ref(),
                done -> exchange.respondEmpty(HttpResponseStatus.NO_CONTENT));
    }

    private void sync(HttpExchange exchange) {
        Principal principal = exchange.inboxOwner();
        Frame.Sync sync = validator.sync(new Frame.Sync(null, exchange.queryLong("since"), exchange.queryInt("limit")));
        exchange.answer(router.sync(principal.user(), sync.since(), sync.limit()), null,
                page -> exchange.respondJson(HttpResponseStatus.OK, new InboxPageBody(
                        page.messages().stream().map(InboxEntry::toMsg).toList(), page.head())));
    }

    private void history(HttpExchange exchange) {
        Principal principal = exchange.principal();
        Frame.History history = validator.history(new Frame.History(null, exchange.pathParam("conversation"),
                exchange.queryLong("before"), exchange.queryInt("limit")));
        exchange.answer(router.history(principal.user(), history.conversation(), history.before(), history.limit()),
                null, page -> exchange.respondJson(HttpResponseStatus.OK,
                        new HistoryBody(page.conversation(), page.messages())));
    }

    /** {@code {"messages":[...],"head":H}}: the answer of sync and long-poll. */
    public record InboxPageBody(List<Frame.Msg> messages, long head) {
    }

    /** {@code {"conversation":"...","messages":[...]}}: the answer of history. */
    record HistoryBody(String conversation, List<LogEntry> messages) {
    }
}
