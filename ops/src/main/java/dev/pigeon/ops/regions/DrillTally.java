package dev.pigeon.ops.regions;

import dev.pigeon.protocol.Frame;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the drill's users saw: every acknowledged send (the first {@code sent} of each message; a
 * repeated one, after a retry, is the same message), every {@code msg} received, the {@code hello}s,
 * and counts of retries, errors and disconnects by reason. Written from the sessions' threads.
 */
final class DrillTally {
    private final ConcurrentMap<DrillKey, DrillAck> acked = new ConcurrentHashMap<>();
    private final LongAdder received = new LongAdder();
    private final Set<String> receivedDistinct = ConcurrentHashMap.newKeySet();
    private final List<DrillHello> hellos = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentMap<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> disconnects = new ConcurrentHashMap<>();

    void acked(DrillAck ack) {
        acked.putIfAbsent(ack.key(), ack);
    }

    /** A {@code msg} user {@code user} received; the same entry again (after a reconnect) counts once as distinct. */
    void received(String user, Frame.Msg msg) {
        received.increment();
        receivedDistinct.add(user + '\n' + msg.conversation() + '\n' + msg.from() + '\n' + msg.id());
    }

    void hello(DrillHello hello) {
        hellos.add(hello);
    }

    /** A send is going out again with its id: after {@code reason} (an error code, a timeout, a reconnect). */
    void retried(String reason) {
        count(retries, reason);
    }

    /** An error the drill does not retry: a refused send, an error answering nothing. */
    void error(String code) {
        count(errors, code);
    }

    void disconnected(String why) {
        count(disconnects, why);
    }

    private static void count(ConcurrentMap<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    List<DrillAck> acked() {
        return acked.values().stream().sorted(Comparator.comparingLong(DrillAck::ackedAtMs)).toList();
    }

    /** The messages acknowledged before {@code atMs}. */
    List<DrillAck> ackedBefore(long atMs) {
        return acked.values().stream().filter(ack -> ack.ackedAtMs() < atMs).toList();
    }

    int ackedCount() {
        return acked.size();
    }

    long received() {
        return received.sum();
    }

    long receivedDistinct() {
        return receivedDistinct.size();
    }

    List<DrillHello> hellos() {
        synchronized (hellos) {
            return List.copyOf(hellos);
        }
    }

    /** Users whose first {@code hello} named another home than the region of their first contact. */
    List<String> homeMismatches() {
        Set<String> seen = new HashSet<>();
        List<String> mismatched = new ArrayList<>();
        for (DrillHello hello : hellos()) {
            if (seen.add(hello.user()) && !hello.expectedHome().equals(hello.homeRegion())) {
                mismatched.add(hello.user() + " homed in " + hello.homeRegion() + ", not " + hello.expectedHome());
            }
        }
        return mismatched;
    }

    /**
     * The recovery time of {@code users} (those of the lost region): for each, from {@code lossAtMs}
     * to its first send acknowledged through {@code survivor} at or after the loss.
     */
    DrillRto rto(long lossAtMs, String survivor, Collection<String> users) {
        Map<String, Long> firstAck = new TreeMap<>();
        for (DrillAck ack : acked.values()) {
            if (ack.ackedAtMs() >= lossAtMs && survivor.equals(ack.region()) && users.contains(ack.key().from())) {
                firstAck.merge(ack.key().from(), ack.ackedAtMs() - lossAtMs, Math::min);
            }
        }
        List<String> unrecovered = users.stream().filter(user -> !firstAck.containsKey(user)).sorted().toList();
        Long rto = unrecovered.isEmpty() ? firstAck.values().stream().max(Long::compare).orElse(null) : null;
        return new DrillRto(rto, firstAck, unrecovered);
    }

    Map<String, Long> retries() {
        return snapshot(retries);
    }

    Map<String, Long> errors() {
        return snapshot(errors);
    }

    Map<String, Long> disconnects() {
        return snapshot(disconnects);
    }

    private static Map<String, Long> snapshot(ConcurrentMap<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }
}
