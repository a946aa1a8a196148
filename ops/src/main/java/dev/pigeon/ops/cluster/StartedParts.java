package dev.pigeon.ops.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/** The parts of a node in the order they started, so that they close newest first. */
final class StartedParts {
    private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

    /** How one part closes. */
    @FunctionalInterface
    interface Closer<T> {
        void close(T part) throws Exception;
    }

    private record Part(String name, AutoCloseable closer) {
    }

    private final Deque<Part> parts = new ArrayDeque<>();

    /** Records a started part and returns it. */
    synchronized <T> T add(String name, T part, Closer<T> closer) {
        parts.push(new Part(name, () -> closer.close(part)));
        return part;
    }

    /**
     * Closes every part, newest first; one that fails to close does not keep the others open.
     *
     * @return false when there was nothing left to close
     */
    synchronized boolean closeAll() {
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
        return true;
    }
}
