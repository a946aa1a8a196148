package dev.pigeon.ops.regions;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long the users of the lost region could not send: per user, from the loss to their first
 * send acknowledged through the survivor afterwards.
 *
 * @param rtoMs       the longest of those, or null when some user never got a send through
 * @param byUser      each user who got one through, and how long it took, by name
 * @param unrecovered the users who never did
 */
record DrillRto(Long rtoMs, Map<String, Long> byUser, List<String> unrecovered) {
    DrillRto {
        byUser = Collections.unmodifiableMap(new TreeMap<>(byUser));
        unrecovered = List.copyOf(unrecovered);
    }
}
