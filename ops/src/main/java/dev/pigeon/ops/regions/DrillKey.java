package dev.pigeon.ops.regions;

/** What names one message for good, whatever position it ends up at: its conversation, sender and client id. */
record DrillKey(String conversation, String from, String id) {
}
