package dev.pigeon.ops.regions;

/**
 * A {@code hello} one user got.
 *
 * @param expectedHome the region the drill homed the user in (by its first contact)
 * @param region       the region of the node it connected to
 * @param homeRegion   the home the node reported
 */
record DrillHello(String user, String expectedHome, String region, String homeRegion, long epoch, long atMs) {
}
