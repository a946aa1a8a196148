package dev.pigeon.storage;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What regions keep about each other in the shared keyspace: heartbeats (replication lag),
 * the outbox of cross-region inbox placements, the conversations of each user, declared
 * failovers and the record of reconciled messages. Only the multi-data-centre store has it.
 *
 * <p>Stages complete on the store's threads; continuations must not block.
 */
public interface RegionStore {

    /** One node's heartbeat, written in its own region's data centre. */
    record RegionBeat(String region, String node, long atMillis) {
    }

    /** A conversation with entries for a region's members up to {@code convSeq}. */
    record OutboxEntry(String conversation, long convSeq) {
    }

    /** A region declared lost by {@code declaredBy}; {@code rejoinedAtMillis} 0 while it is still out. */
    record RegionFailover(String region, String declaredBy, long declaredAtMillis, long rejoinedAtMillis) {
        public boolean lost() {
            return rejoinedAtMillis == 0;
        }
    }

    /**
     * A message a lost region acknowledged that never replicated, appended again in its new home:
     * the old epoch and {@code conv_seq} it had, and the {@code conv_seq} it has now.
     */
    record Recovery(String conversation, long oldEpoch, long oldConvSeq, String sender, String clientId,
                    long newConvSeq) {
    }

    CompletionStage<Void> beat(RegionBeat beat);

    /** Every node's newest beat as this data centre has it. */
    CompletionStage<List<RegionBeat>> beats();

    /** Raises the outbox entry of (region, conversation) to {@code convSeq} (a lower value changes nothing). */
    CompletionStage<Void> recordOutbox(String region, String conversation, long convSeq);

    /** Outbox entries of {@code region}, at most {@code limit}. */
    CompletionStage<List<OutboxEntry>> outbox(String region, int limit);

    /**
     * Removes the entry of (region, conversation) unless it was raised above {@code convSeq}
     * meanwhile. Recording {@code convSeq} or less afterwards changes nothing: those entries were
     * placed.
     */
    CompletionStage<Void> clearOutbox(String region, String conversation, long convSeq);

    /** Records that {@code user} has entries in {@code conversation} (idempotent). */
    CompletionStage<Void> addConversation(String user, String conversation);

    CompletionStage<List<String>> conversationsOf(String user);

    /** Records a failover, or a rejoin (the same region with {@code rejoinedAtMillis} set). */
    CompletionStage<Void> recordFailover(RegionFailover failover);

    CompletionStage<List<RegionFailover>> failovers();

    /** Records a recovery once per (conversation, old epoch, old conv_seq); false when recorded before. */
    CompletionStage<Boolean> recordRecovery(Recovery recovery);

    CompletionStage<List<Recovery>> recoveries(String conversation);
}
