package dev.pigeon.ops.cluster;

import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * Waiting for a condition while a fault scenario runs, recording whether it came to hold instead of
 * failing there: the scenario goes on (and undoes its fault), and a test asserts on the outcome.
 */
final class Eventually {
    private static final Duration POLL = Duration.ofMillis(200);

    private Eventually() {
    }

    /** Polls {@code condition} until it is true (true) or {@code patience} has passed (false). */
    static boolean holds(Duration patience, Callable<Boolean> condition) {
        try {
            await().atMost(patience).pollInterval(POLL).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
