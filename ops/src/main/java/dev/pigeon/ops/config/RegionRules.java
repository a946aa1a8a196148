package dev.pigeon.ops.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the region keys must agree with each other and with the rest. A node of the only region sets
 * none of them; a node of several names its peers, its link, every region's data centre and a
 * replication that gives each of them copies.
 */
final class RegionRules {

    private RegionRules() {
    }

    /** Every rule the configuration breaks, one sentence each; empty when it keeps them all. */
    static List<String> problems(PigeonConfig config) {
        List<String> problems = new ArrayList<>();
        String region = config.get(PigeonConfig.REGION);
        String datacenter = config.get(PigeonConfig.CASSANDRA_DATACENTER);
        Map<String, List<URI>> peers = config.regionPeers();
        Map<String, String> datacenters = config.regionDatacenters();
        Map<String, Integer> copies = config.get(PigeonConfig.REPLICATION);
        int linkPort = config.linkPort();

        if (peers.containsKey(region)) {
            problems.add("region-peers names " + region + ", this node's own region (region): list only the other regions");
        }
        if (!peers.isEmpty() && linkPort == 0) {
            problems.add("region-peers needs link-port, the port the other regions call this node on");
        }
        if ((linkPort != 0 || !peers.isEmpty()) && config.linkSecret() == null) {
            problems.add("link-port and region-peers need link-secret, the secret every region's link shares");
        }
        if (linkPort != 0 && (linkPort == config.get(PigeonConfig.PUBLIC_PORT)
                || linkPort == config.get(PigeonConfig.ADMIN_PORT))) {
            problems.add("link-port " + linkPort + " must differ from port and admin-port");
        }
        if (!peers.isEmpty()) {
            Set<String> regions = new TreeSet<>(peers.keySet());
            regions.add(region);
            Set<String> unnamed = new TreeSet<>(regions);
            unnamed.removeAll(datacenters.keySet());
            if (!unnamed.isEmpty()) {
                problems.add("region-datacenters must name the data centre of every region; it lacks "
                        + String.join(", ", unnamed));
            }
            Set<String> unreached = new TreeSet<>(datacenters.keySet());
            unreached.removeAll(regions);
            if (!unreached.isEmpty()) {
                problems.add("region-datacenters names " + String.join(", ", unreached)
                        + ", which region-peers does not reach");
            }
            if (copies == null) {
                problems.add("region-peers needs replication, copies in every region's data centre (e.g. "
                        + "dc1:1,dc2:1)");
            }
        }
        String named = datacenters.get(region);
        if (named != null && !named.equals(datacenter)) {
            problems.add("region-datacenters puts " + region + " (region) in data centre " + named
                    + ", but cassandra-datacenter is " + datacenter);
        }
        if (copies != null) {
            Set<String> without = new TreeSet<>(datacenters.values());
            without.add(datacenter);
            without.removeAll(copies.keySet());
            if (!without.isEmpty()) {
                problems.add("replication gives no copies to data centre " + String.join(", ", without)
                        + " (named by cassandra-datacenter or region-datacenters)");
            }
        }
        return problems;
    }
}
