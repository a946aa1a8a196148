package dev.pigeon.client;

import dev.pigeon.protocol.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Turns the inbox entries a client receives, with repeats (after a reconnect) and holes (a lost
 * delivery), into the exact sequence {@code last+1, last+2, ...}: a repeat is dropped, an entry past
 * a hole waits until the hole is filled. Not thread-safe: the client's event thread owns it.
 */
final class InboxSequencer {
    /** Entries past a hole, by {@code seq}. */
    private final NavigableMap<Long, Frame.Msg> ahead = new TreeMap<>();
    private long last;
    private boolean started;

    /** A sequencer whose application has seen everything up to {@code last}; null when it has seen nothing yet. */
    InboxSequencer(Long last) {
        if (last != null) {
            startAt(last);
        }
    }

    boolean started() {
        return started;
    }

    /** The newest {@code seq} handed on. */
    long last() {
        return last;
    }

    /** (Re)starts after {@code position}, forgetting what waited past a hole. */
    void startAt(long position) {
        last = position;
        started = true;
        ahead.clear();
    }

    /** Takes one entry; returns those now due, in order (none for a repeat or an entry past a hole). */
    List<Frame.Msg> offer(Frame.Msg msg) {
        if (msg.seq() <= last || ahead.containsKey(msg.seq())) {
            return List.of();
        }
        ahead.put(msg.seq(), msg);
        List<Frame.Msg> due = new ArrayList<>();
        for (Map.Entry<Long, Frame.Msg> next = ahead.firstEntry(); next != null && next.getKey() == last + 1;
             next = ahead.firstEntry()) {
            ahead.pollFirstEntry();
            due.add(next.getValue());
            last = next.getKey();
        }
        return due;
    }

    /** The newest {@code seq} missing before an entry that waits, if there is a hole. */
    OptionalLong holeEnd() {
        return ahead.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ahead.firstKey() - 1);
    }
}
