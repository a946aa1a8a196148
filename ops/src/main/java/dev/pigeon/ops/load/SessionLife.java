package dev.pigeon.ops.load;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one load session is open, as the run's counters see it. It settles once (its
 * {@code hello} arrived, or it failed before that), and a close the run did not ask for counts
 * as a disconnect.
 */
final class SessionLife {
    private final LoadStats stats;
    private final Runnable onSettled;
    private final AtomicBoolean settled = new AtomicBoolean();

    private volatile boolean open;
    private volatile boolean opened;
    private volatile boolean dropped;
    private volatile boolean closing;

    SessionLife(LoadStats stats, Runnable onSettled) {
        this.stats = stats;
        this.onSettled = onSettled;
    }

    void opened() {
        open = true;
        opened = true;
        stats.sessionOpened();
        settle();
    }

    /** The connection ended; {@code closeCode} is the server's close code, or null when it sent none. */
    void closed(String closeCode) {
        if (open) {
            open = false;
            if (!closing) {
                dropped = true;
            }
            stats.sessionClosed(closing ? null : closeCode == null ? "no close frame" : closeCode);
        }
        settle();
    }

    /** From now on a close is the end of the run, not a disconnect. */
    void ending() {
        closing = true;
    }

    boolean isOpen() {
        return open;
    }

    /** Opened, and not closed since except by the end of the run. */
    boolean heldThroughout() {
        return opened && !dropped;
    }

    private void settle() {
        if (settled.compareAndSet(false, true)) {
            onSettled.run();
        }
    }
}
