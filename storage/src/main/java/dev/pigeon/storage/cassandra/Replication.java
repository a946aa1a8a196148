package dev.pigeon.storage.cassandra;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** How the keyspace is replicated when the store creates it; an existing keyspace is left as it is. */
public sealed interface Replication {

    /** The {@code replication} map of {@code CREATE KEYSPACE}, as CQL. */
    String toCql();

    /** {@code SimpleStrategy}: one data centre, {@code factor} copies (1 for a single test node). */
    static Replication simple(int factor) {
        return new Simple(factor);
    }

    /** {@code NetworkTopologyStrategy}: copies per data centre, for several regions. */
    static Replication networkTopology(Map<String, Integer> factorsByDatacenter) {
        return new NetworkTopology(factorsByDatacenter);
    }

    record Simple(int factor) implements Replication {
        public Simple {
            if (factor < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1: " + factor);
            }
        }

        @Override
        public String toCql() {
            return "{'class': 'SimpleStrategy', 'replication_factor': " + factor + "}";
        }
    }

    record NetworkTopology(Map<String, Integer> factorsByDatacenter) implements Replication {
        private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]+");

        public NetworkTopology {
            if (factorsByDatacenter.isEmpty()) {
                throw new IllegalArgumentException("name at least one data centre");
            }
            factorsByDatacenter.forEach((datacenter, factor) -> {
                if (!DATACENTER.matcher(datacenter).matches()) {
                    throw new IllegalArgumentException("not a data centre name: '" + datacenter + "'");
                }
                if (factor < 1) {
                    throw new IllegalArgumentException("replication factor of " + datacenter + " must be at least 1");
                }
            });
            factorsByDatacenter = Map.copyOf(factorsByDatacenter);
        }

        @Override
        public String toCql() {
            return new TreeMap<>(factorsByDatacenter).entrySet().stream()
                    .map(e -> "'" + e.getKey() + "': " + e.getValue())
                    .collect(Collectors.joining(", ", "{'class': 'NetworkTopologyStrategy', ", "}"));
        }
    }
}
