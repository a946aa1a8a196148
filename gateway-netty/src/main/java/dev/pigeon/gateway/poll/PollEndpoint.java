package dev.pigeon.gateway.poll;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionServices;
import dev.pigeon.protocol.Frame;

import java.time.Duration;

/**
 * {@code GET /v1/poll?since=N&wait=S&limit=L}: answers at once when the inbox holds entries after
 * {@code since}, else waits up to {@code wait} seconds for one. Without {@code since}, it waits for
 * entries after the head. A {@code wait} above the maximum waits the maximum.
 */
public final class PollEndpoint {
    private final SessionServices services;
    private final Duration defaultWait;
    private final Duration maxWait;

    public PollEndpoint(SessionServices services, Duration defaultWait, Duration maxWait) {
        this.services = services;
        this.defaultWait = defaultWait;
        this.maxWait = maxWait;
    }

    public void handle(HttpExchange exchange) {
        Principal principal = exchange.inboxOwner();
        Long since = exchange.queryLong("since");
        Duration wait = waitOf(exchange);
        int limit = services.validator().sync(new Frame.Sync(null, since, exchange.queryInt("limit"))).limit();
        LongPoll poll = new LongPoll(exchange, limit, wait);
        ClientSession session = new ClientSession(services, principal, poll, since, limit);
        session.admitOrRefuse();
        poll.start(session);
    }

    private Duration waitOf(HttpExchange exchange) {
        Long seconds = exchange.queryLong("wait");
        if (seconds == null) {
            return defaultWait;
        }
        Duration asked = Duration.ofSeconds(seconds);
        return asked.compareTo(maxWait) > 0 ? maxWait : asked;
    }
}
