package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of {@link CassandraMessageStore}; {@link #builder()} starts from defaults fit for one
 * local node.
 *
 * @param contactPoints     nodes to reach first (default 127.0.0.1:9042)
 * @param localDatacenter   the data centre of this region; requests go only to its nodes (default dc1)
 * @param keyspace          keyspace of every table, created when missing (default pigeon)
 * @param replication       replication of a keyspace the store creates (default SimpleStrategy, 1 copy)
 * @param consistency       consistency of reads and writes (default LOCAL_QUORUM)
 * @param serialConsistency consistency of lightweight transactions and of the reads that must see them
 *                          (default LOCAL_SERIAL; SERIAL spans data centres)
 * @param requestTimeout    time one request may take (default 2 s)
 * @param schemaTimeout     time one schema change may take, with the wait for agreement (default 30 s)
 * @param maxInFlight       operations in progress at once; beyond it a call fails at once with
 *                          {@link dev.pigeon.storage.StorageUnavailableException} (default 1024)
 * @param sendClaimTtl      how long a send claim is remembered (default 7 days)
 */
public record CassandraStoreOptions(List<InetSocketAddress> contactPoints, String localDatacenter, String keyspace,
                                    Replication replication, DefaultConsistencyLevel consistency,
                                    DefaultConsistencyLevel serialConsistency, Duration requestTimeout,
                                    Duration schemaTimeout, int maxInFlight, Duration sendClaimTtl) {
    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    public CassandraStoreOptions {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("name at least one contact point");
        }
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        if (!KEYSPACE.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("keyspace must be lower case letters, digits and _ (at most 48): '"
                    + keyspace + "'");
        }
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(consistency, "consistency");
        if (!serialConsistency.isSerial()) {
            throw new IllegalArgumentException("serialConsistency must be SERIAL or LOCAL_SERIAL: " + serialConsistency);
        }
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(schemaTimeout, "schemaTimeout");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        requirePositive(sendClaimTtl, "sendClaimTtl");
        if (sendClaimTtl.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sendClaimTtl is too long: " + sendClaimTtl);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses {@code host:port}, as in {@code 127.0.0.1:9042}. */
    public static InetSocketAddress contactPoint(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + hostAndPort + "'");
        }
        try {
            return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected host:port, got '" + hostAndPort + "'", e);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    public static final class Builder {
        private List<InetSocketAddress> contactPoints = List.of(new InetSocketAddress("127.0.0.1", 9042));
        private String localDatacenter = "dc1";
        private String keyspace = "pigeon";
        private Replication replication = Replication.simple(1);
        private DefaultConsistencyLevel consistency = DefaultConsistencyLevel.LOCAL_QUORUM;
        private DefaultConsistencyLevel serialConsistency = DefaultConsistencyLevel.LOCAL_SERIAL;
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration schemaTimeout = Duration.ofSeconds(30);
        private int maxInFlight = 1024;
        private Duration sendClaimTtl = Duration.ofDays(7);

        private Builder() {
        }

        public Builder contactPoints(List<InetSocketAddress> contactPoints) {
            this.contactPoints = contactPoints;
            return this;
        }

        public Builder localDatacenter(String localDatacenter) {
            this.localDatacenter = localDatacenter;
            return this;
        }

        public Builder keyspace(String keyspace) {
            this.keyspace = keyspace;
            return this;
        }

        public Builder replication(Replication replication) {
            this.replication = replication;
            return this;
        }

        public Builder consistency(DefaultConsistencyLevel consistency) {
            this.consistency = consistency;
            return this;
        }

        public Builder serialConsistency(DefaultConsistencyLevel serialConsistency) {
            this.serialConsistency = serialConsistency;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder schemaTimeout(Duration schemaTimeout) {
            this.schemaTimeout = schemaTimeout;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder sendClaimTtl(Duration sendClaimTtl) {
            this.sendClaimTtl = sendClaimTtl;
            return this;
        }

        public CassandraStoreOptions build() {
            return new CassandraStoreOptions(contactPoints, localDatacenter, keyspace, replication, consistency,
                    serialConsistency, requestTimeout, schemaTimeout, maxInFlight, sendClaimTtl);
        }
    }
}
