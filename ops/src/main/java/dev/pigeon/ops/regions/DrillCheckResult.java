package dev.pigeon.ops.regions;

/**
 * The verdict on every acknowledged message, read back through the survivor.
 *
 * @param checked             acknowledged messages checked
 * @param lost                acknowledged messages missing from their conversation's history or from
 *                            the inbox of any member
 * @param missingFromHistory  acknowledged messages missing from their conversation's history
 * @param missingInboxCopies  (acknowledged message, member) pairs missing from that member's inbox
 * @param duplicates          extra copies of one (conversation, from, id) in a history or an inbox
 * @param orderViolations     inbox entries of a conversation whose {@code conv_seq} does not grow with
 *                            {@code seq}, and positions held by two entries of one history or inbox
 * @param seqGaps             inbox positions missing below each inbox's newest
 * @param convSeqGaps         conversation positions missing below each history's newest
 * @param positionMismatches  inbox entries whose {@code conv_seq} differs from the history's for that message
 */
record DrillCheckResult(long checked, long lost, long missingFromHistory, long missingInboxCopies, long duplicates,
                        long orderViolations, long seqGaps, long convSeqGaps, long positionMismatches) {

    boolean passed() {
        return lost == 0 && duplicates == 0;
    }
}
