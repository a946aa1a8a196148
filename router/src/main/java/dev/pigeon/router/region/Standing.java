package dev.pigeon.router.region;

import java.util.List;
import java.util.Set;

/** A region's view of the deployment: the regions it holds lost, and its own live nodes. */
public record Standing(String region, Set<String> lostRegions, List<String> nodes) {
    public Standing {
        lostRegions = Set.copyOf(lostRegions);
        nodes = List.copyOf(nodes);
    }
}
