package dev.pigeon.ops.regions;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Checks acknowledged messages against the conversation histories and member inboxes read back at
 * the end: each must be in its history once and in each member's inbox once; histories and inboxes
 * must be contiguous and agree on order. Pure: the reading is done elsewhere.
 */
final class DrillCheck {

    private DrillCheck() {
    }

    /**
     * @param members   each conversation's members
     * @param histories each conversation's history (any order), as read through the survivor
     * @param inboxes   each user's whole inbox (any order), as read through the survivor
     */
    static DrillCheckResult check(Collection<DrillAck> acked, Map<String, List<String>> members,
                                  Map<String, List<LogEntry>> histories, Map<String, List<Frame.Msg>> inboxes) {
        Map<DrillKey, Long> historyCopies = new HashMap<>();
        Map<DrillKey, Long> historyPositions = new HashMap<>();
        long orderViolations = 0;
        long convSeqGaps = 0;
        for (List<LogEntry> history : histories.values()) {
            for (LogEntry entry : history) {
                DrillKey key = new DrillKey(entry.conversation(), entry.from(), entry.id());
                historyCopies.merge(key, 1L, Long::sum);
                historyPositions.putIfAbsent(key, entry.convSeq());
            }
            orderViolations += sharedPositions(history, LogEntry::convSeq);
            convSeqGaps += gaps(history, LogEntry::convSeq);
        }

        Map<String, Map<DrillKey, Long>> inboxCopies = new HashMap<>();
        long seqGaps = 0;
        long positionMismatches = 0;
        for (Map.Entry<String, List<Frame.Msg>> inbox : inboxes.entrySet()) {
            Map<DrillKey, Long> copies = new HashMap<>();
            for (Frame.Msg msg : inbox.getValue()) {
                DrillKey key = keyOf(msg);
                copies.merge(key, 1L, Long::sum);
                Long logged = historyPositions.get(key);
                if (logged != null && logged != msg.convSeq()) {
                    positionMismatches++;
                }
            }
            inboxCopies.put(inbox.getKey(), copies);
            orderViolations += sharedPositions(inbox.getValue(), Frame.Msg::seq) + conversationOrderBreaks(inbox.getValue());
            seqGaps += gaps(inbox.getValue(), Frame.Msg::seq);
        }

        long lost = 0;
        long missingFromHistory = 0;
        long missingInboxCopies = 0;
        for (DrillAck ack : acked) {
            boolean logged = historyCopies.containsKey(ack.key());
            long missingCopies = members.getOrDefault(ack.key().conversation(), List.of()).stream()
                    .filter(member -> !inboxCopies.getOrDefault(member, Map.of()).containsKey(ack.key()))
                    .count();
            missingFromHistory += logged ? 0 : 1;
            missingInboxCopies += missingCopies;
            lost += logged && missingCopies == 0 ? 0 : 1;
        }

        long duplicates = extraCopies(historyCopies);
        for (Map<DrillKey, Long> copies : inboxCopies.values()) {
            duplicates += extraCopies(copies);
        }
        return new DrillCheckResult(acked.size(), lost, missingFromHistory, missingInboxCopies, duplicates,
                orderViolations, seqGaps, convSeqGaps, positionMismatches);
    }

    /** Acknowledged messages that {@code histories} (read right after the failover) do not show. */
    static long atRisk(Collection<DrillAck> acked, Map<String, List<LogEntry>> histories) {
        Set<DrillKey> visible = new HashSet<>();
        histories.values().forEach(history -> history.forEach(
                entry -> visible.add(new DrillKey(entry.conversation(), entry.from(), entry.id()))));
        return acked.stream().filter(ack -> !visible.contains(ack.key())).count();
    }

    static DrillKey keyOf(Frame.Msg msg) {
        return new DrillKey(msg.conversation(), msg.from(), msg.id());
    }

    private static long extraCopies(Map<DrillKey, Long> copies) {
        return copies.values().stream().mapToLong(count -> count - 1).sum();
    }

    /** Positions from 1 to the newest that no entry holds. */
    private static <T> long gaps(List<T> entries, ToLongFunction<T> position) {
        Set<Long> held = new HashSet<>();
        long newest = 0;
        for (T entry : entries) {
            long p = position.applyAsLong(entry);
            held.add(p);
            newest = Math.max(newest, p);
        }
        return newest - held.stream().filter(p -> p >= 1).count();
    }

    /** Entries beyond the first at one position. */
    private static <T> long sharedPositions(List<T> entries, ToLongFunction<T> position) {
        return entries.size() - entries.stream().mapToLong(position).distinct().count();
    }

    /** Inbox entries of a conversation whose {@code conv_seq} is not above that of the conversation's previous entry. */
    private static long conversationOrderBreaks(List<Frame.Msg> inbox) {
        Map<String, Long> newest = new HashMap<>();
        long breaks = 0;
        for (Frame.Msg msg : inbox.stream().sorted(Comparator.comparingLong(Frame.Msg::seq)).toList()) {
            Long before = newest.put(msg.conversation(), msg.convSeq());
            if (before != null && msg.convSeq() <= before) {
                breaks++;
                newest.put(msg.conversation(), before);
            }
        }
        return breaks;
    }
}
