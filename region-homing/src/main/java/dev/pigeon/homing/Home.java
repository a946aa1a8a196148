package dev.pigeon.homing;

/** Where a user or conversation is written: its home region, and the epoch of that assignment. */
public record Home(String region, long epoch) {
}
