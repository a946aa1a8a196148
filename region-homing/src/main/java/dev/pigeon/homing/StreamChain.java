package dev.pigeon.homing;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.StreamStart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A sequence (a user's inbox or a conversation's log) as a chain of per-epoch streams. The stream
 * of epoch 1 is stored under the plain id, that of epoch e &gt; 1 under {@code id~e} ({@code ~} is
 * outside the alphabet of every user and conversation id). Epoch e holds the global positions from
 * its start up to the position before the next epoch's start; the last epoch is open-ended.
 *
 * @param segments one per epoch from 1 to the current, oldest first
 */
public record StreamChain(String id, List<Segment> segments) {
    static final char EPOCH_SEPARATOR = '~';

    public StreamChain {
        Objects.requireNonNull(id, "id");
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a chain has at least its first epoch");
        }
    }

    /**
     * One epoch's stream and the global positions valid in it.
     *
     * @param start first valid global position
     * @param end   last valid global position, {@link Long#MAX_VALUE} for the current epoch
     */
    public record Segment(long epoch, String stream, long start, long end) {

        /** The global position of a position stored in this stream. */
        public long global(long local) {
            return start - 1 + local;
        }

        /** The position in this stream of a global position. */
        public long local(long global) {
            return global - (start - 1);
        }

        public boolean holds(long global) {
            return global >= start && global <= end;
        }

        /** A log entry as stored in this stream, as the conversation's entry at its global position. */
        LogEntry toGlobal(String conversation, LogEntry stored) {
            return new LogEntry(conversation, global(stored.convSeq()), stored.from(), stored.id(), stored.body(),
                    stored.format(), stored.ts());
        }
    }

    /** The stream of {@code id} under {@code epoch}. */
    public static String streamOf(String id, long epoch) {
        return epoch == 1 ? id : id + EPOCH_SEPARATOR + epoch;
    }

    /**
     * The chain of {@code id} up to {@code epoch}, from the recorded starts of its later epochs. An
     * epoch without a recorded start below the current one holds nothing (its move was cut short).
     *
     * @throws IllegalStateException when the current epoch (above 1) has no recorded start
     */
    static StreamChain of(String id, long epoch, List<StreamStart> starts) {
        Map<Long, Long> startOf = new TreeMap<>();
        starts.forEach(start -> startOf.put(start.epoch(), start.start()));
        if (epoch > 1 && !startOf.containsKey(epoch)) {
            throw new IllegalStateException("epoch " + epoch + " of " + id + " has no recorded start yet");
        }
        List<Segment> reversed = new ArrayList<>();
        long nextStart = Long.MAX_VALUE;
        for (long e = epoch; e >= 1; e--) {
            long start = e == 1 ? 1 : startOf.getOrDefault(e, nextStart);
            long end = nextStart == Long.MAX_VALUE ? Long.MAX_VALUE : nextStart - 1;
            reversed.add(0, new Segment(e, streamOf(id, e), Math.min(start, nextStart), end));
            nextStart = Math.min(start, nextStart);
        }
        return new StreamChain(id, reversed);
    }

    public Segment current() {
        return segments.get(segments.size() - 1);
    }
}
