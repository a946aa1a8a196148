package dev.pigeon.gateway.sse;

import dev.pigeon.gateway.auth.Principal;
import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.gateway.session.ClientSession;
import dev.pigeon.gateway.session.SessionServices;

/** {@code GET /v1/sse?since=N}: a session streamed as Server-Sent Events; {@code Last-Event-ID} wins over {@code since}. */
public final class SseEndpoint {
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final SessionServices services;
    private final SseSettings settings;
    private final SseEvents events;
    private final int pageSize;

    public SseEndpoint(SessionServices services, SseSettings settings, SseEvents events, int pageSize) {
        this.services = services;
        this.settings = settings;
        this.events = events;
        this.pageSize = pageSize;
    }

    public void handle(HttpExchange exchange) {
        Principal principal = exchange.inboxOwner();
        String lastEventId = exchange.headers().get(LAST_EVENT_ID);
        Long since = lastEventId != null && !lastEventId.isEmpty()
                ? HttpExchange.parseNonNegative(LAST_EVENT_ID, lastEventId.trim())
                : exchange.queryLong("since");
        SseStream stream = new SseStream(exchange, settings, events);
        ClientSession session = new ClientSession(services, principal, stream, since, pageSize);
        session.admitOrRefuse();
        stream.start(session);
    }
}
