package dev.pigeon.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/** The parts of a node in the order they started, so that they close newest first. */
public final class StartedParts {
    private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

    /** How one part closes. */
    @FunctionalInterface
    public interface Closer<T> {
        void close(T part) throws Exception;
    }

    private record Part(String name, AutoCloseable closer) {
    }

    private final Deque<Part> parts = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Records a started part and returns it. */
    public synchronized <T> T add(String name, T part, Closer<T> closer) {
        parts.push(new Part(name, () -> closer.close(part)));
        return part;
    }

    /**
     * Closes every part, newest first; one that fails to close does not keep the others open.
     *
     * @return false when there was nothing left to close
     */
    public boolean closeAll() {
        synchronized (this) {
            if (parts.isEmpty()) {
                return false;
            }
            while (!parts.isEmpty()) {
                Part part = parts.pop();
                try {
                    part.closer().close();
                    log.info("closed {}", part.name());
                } catch (Exception e) {
                    log.warn("closing {} failed", part.name(), e);
                }
            }
        }
        closed.countDown();
        return true;
    }

    /** Blocks until {@link #closeAll} has closed everything. */
    public void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
