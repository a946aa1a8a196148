package dev.pigeon.ops.load;

import java.util.Map;

/**
 * The outcome of a group fan-out run.
 *
 * @param members     group members asked for
 * @param opened      members whose session got its {@code hello}
 * @param times       the timing of the counted messages
 * @param check       exactly once, over every acknowledged message
 * @param errors      errors by code, over the whole run
 * @param disconnects unexpected disconnects by close code
 */
record FanoutResult(int members, int opened, FanoutTimes times, FanoutCheck check, Map<String, Long> errors,
                    Map<String, Long> disconnects) {

    FanoutResult {
        errors = Map.copyOf(errors);
        disconnects = Map.copyOf(disconnects);
    }
}
