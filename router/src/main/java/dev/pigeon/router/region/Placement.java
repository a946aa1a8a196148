package dev.pigeon.router.region;

import java.util.Map;

/**
 * The answer to {@link RegionCalls#place}: the region's fan-out mark of the conversation after the
 * call ({@code conv_seq} up to which its members have every entry) and each placed member's
 * {@code seq} of the newest entry sent. A mark below the first entry sent means the region lacks
 * earlier entries: send again from {@code mark + 1}.
 */
public record Placement(long mark, Map<String, Long> seqs) {
    public Placement {
        seqs = Map.copyOf(seqs);
    }
}
