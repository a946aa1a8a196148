package dev.pigeon.storage;

/**
 * The first position of an epoch's stream in a sequence that moved homes: a log's {@code conv_seq}
 * or an inbox's {@code seq}. Epoch 1 always starts at 1 and is never recorded.
 */
public record StreamStart(long epoch, long start) {
    public StreamStart {
        if (epoch < 2 || start < 1) {
            throw new IllegalArgumentException("a recorded start needs epoch >= 2 and start >= 1: " + epoch + ", " + start);
        }
    }
}
