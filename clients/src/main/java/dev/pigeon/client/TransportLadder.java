package dev.pigeon.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Which transport to try next. The best one first; a step down when it is refused outright (an HTTP
 * answer instead of a session, as from a proxy that refuses the WebSocket upgrade), when it fails to
 * connect several times in a row, or when its sessions are cut several times within a short window;
 * past the last step it starts again from the top. Not thread-safe: the client's event thread owns it.
 */
final class TransportLadder {
    private final List<TransportKind> order;
    private final int failuresBeforeFallback;
    private final Duration cutWindow;
    private final Deque<Long> cuts = new ArrayDeque<>();
    private int step;
    private int failures;

    TransportLadder(List<TransportKind> order, int failuresBeforeFallback, Duration cutWindow) {
        if (order.isEmpty()) {
            throw new IllegalArgumentException("at least one transport is needed");
        }
        this.order = List.copyOf(order);
        this.failuresBeforeFallback = failuresBeforeFallback;
        this.cutWindow = cutWindow;
    }

    TransportKind current() {
        return order.get(step);
    }

    /** True while a better transport than the current one exists. */
    boolean belowBest() {
        return step > 0;
    }

    void opened() {
        failures = 0;
    }

    /** An attempt that never opened failed; {@code refused}: the server or a proxy answered it with a status. */
    void connectFailed(boolean refused) {
        if (refused || ++failures >= failuresBeforeFallback) {
            stepDown();
        }
    }

    /** An open session was cut (not ended by the server on purpose) at {@code nowMillis}. */
    void cut(long nowMillis) {
        cuts.addLast(nowMillis);
        while (!cuts.isEmpty() && cuts.peekFirst() < nowMillis - cutWindow.toMillis()) {
            cuts.removeFirst();
        }
        if (cuts.size() >= failuresBeforeFallback) {
            stepDown();
        }
    }

    /** Goes back to the best transport, to see whether it works again. */
    void retryBest() {
        step = 0;
        failures = 0;
        cuts.clear();
    }

    private void stepDown() {
        step = (step + 1) % order.size();
        failures = 0;
        cuts.clear();
    }
}
