package dev.pigeon.client;

/**
 * The inbox position saved in the state directory, just behind the application: it moves past an
 * entry only after the listener has returned from it, and is forced to disk once the listener has
 * caught up with what is queued, or every {@code maxBehind} entries during a long burst. A client
 * started after a crash therefore never skips an entry; it may hand out again at most
 * {@code maxBehind} entries the application already had, with the same {@code seq}, which an
 * application that keeps its own position ignores.
 *
 * <p>{@link #queued} is called on the client's event thread, everything else on its listener thread.
 */
final class DurablePosition {
    private final ClientStateDir stateDir;
    private final int maxBehind;
    /** The newest {@code seq} queued for the listener. */
    private volatile long queued;
    /** The newest {@code seq} forced to disk. */
    private long durable;

    DurablePosition(ClientStateDir stateDir, long saved, int maxBehind) {
        this.stateDir = stateDir;
        this.maxBehind = maxBehind;
        this.queued = saved;
        this.durable = saved;
    }

    /** Entries up to {@code seq} are queued for the listener (or the position moves there without any). */
    void queued(long seq) {
        queued = seq;
    }

    /** The listener has returned from the entry at {@code seq}. */
    void handled(long seq) {
        if (seq >= queued || seq - durable >= maxBehind) {
            save(seq);
        }
    }

    /** Saves {@code seq} as it is, backwards too: the position moved without entries to hand over. */
    void moveTo(long seq) {
        save(seq);
    }

    private void save(long seq) {
        stateDir.savePosition(seq);
        durable = seq;
    }
}
