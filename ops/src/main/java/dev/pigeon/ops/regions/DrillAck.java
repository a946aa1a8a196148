package dev.pigeon.ops.regions;

/**
 * A {@code sent} the drill received: the message is durable in its home region from then on.
 *
 * @param ackedAtMs when it arrived, in milliseconds of the drill's clock
 * @param region    the region of the node whose session carried it
 */
record DrillAck(DrillKey key, long convSeq, long seq, long ts, long ackedAtMs, String region) {
}
