package dev.pigeon.homing;

/**
 * Where a user or conversation is written: its home region, the epoch of that assignment, and,
 * while a planned move is under way, the region it is moving to (writes wait until it is done).
 */
public record Home(String region, long epoch, String movingTo) {

    public Home(String region, long epoch) {
        this(region, epoch, null);
    }

    public boolean moving() {
        return movingTo != null;
    }
}
