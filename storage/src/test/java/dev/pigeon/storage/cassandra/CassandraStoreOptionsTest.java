package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CassandraStoreOptionsTest {

    @Test
    void defaultsFitOneLocalNode() {
        CassandraStoreOptions options = CassandraStoreOptions.builder().build();

        assertThat(options.contactPoints()).containsExactly(new InetSocketAddress("127.0.0.1", 9042));
        assertThat(options.replication()).isEqualTo(Replication.simple(1));
        assertThat(options.consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(options.serialConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_SERIAL);
        assertThat(options.schemaTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.sendClaimTtl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aKeyspaceNameThatIsNotAPlainIdentifierIsRefused() {
        assertThat(List.of("", "Upper", "1starts_with_digit", "x; DROP KEYSPACE system", "a".repeat(49), "with-dash"))
                .allSatisfy(name -> assertThatThrownBy(() -> CassandraStoreOptions.builder().keyspace(name).build())
                        .isInstanceOf(IllegalArgumentException.class));
        assertThat(CassandraStoreOptions.builder().keyspace("pigeon_it_0z").build().keyspace()).isEqualTo("pigeon_it_0z");
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> CassandraStoreOptions.builder().serialConsistency(DefaultConsistencyLevel.QUORUM).build())
                .hasMessageContaining("SERIAL");
        assertThatThrownBy(() -> CassandraStoreOptions.builder().maxInFlight(0).build())
                .hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> CassandraStoreOptions.builder().requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> CassandraStoreOptions.builder().contactPoints(List.of()).build())
                .hasMessageContaining("contact point");
    }

    @Test
    void contactPointsParseFromHostAndPort() {
        assertThat(CassandraStoreOptions.contactPoint("127.0.0.1:9142")).isEqualTo(new InetSocketAddress("127.0.0.1", 9142));
        assertThat(List.of("127.0.0.1", "127.0.0.1:", ":9042", "host:port", "127.0.0.1:70000"))
                .allSatisfy(bad -> assertThatThrownBy(() -> CassandraStoreOptions.contactPoint(bad))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port"));
    }

    @Test
    void replicationIsWrittenAsCql() {
        assertThat(Replication.simple(3).toCql()).isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");
        assertThat(Replication.networkTopology(Map.of("dc2", 3, "dc1", 2)).toCql())
                .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 3}");
        assertThatThrownBy(() -> Replication.networkTopology(Map.of("dc1'}; DROP", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Replication.networkTopology(Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Replication.simple(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
