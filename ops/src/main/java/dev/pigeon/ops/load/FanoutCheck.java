package dev.pigeon.ops.load;

/**
 * Whether every member got every acknowledged message exactly once, in order.
 *
 * @param messages   acknowledged messages checked (warm-up included)
 * @param members    members checked (those open throughout)
 * @param missing    copies a checked member never got
 * @param duplicates copies beyond the first, over every member
 * @param outOfOrder first copies that came after a copy of a later message
 */
record FanoutCheck(int messages, int members, long missing, long duplicates, long outOfOrder) {

    long expectedCopies() {
        return (long) messages * members;
    }

    boolean passed() {
        return missing == 0 && duplicates == 0 && outOfOrder == 0;
    }
}
