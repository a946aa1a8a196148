package dev.pigeon.ops.config;

import dev.pigeon.storage.cassandra.Replication;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionSettingsTest {

    /** A node of region eu (dc1) that reaches region us (dc2) through two nodes. */
    private static Map<String, String> euNode() {
        return new HashMap<>(Map.of(
                "region", "eu",
                "link-port", "7171",
                "link-secret", "link-s3cret",
                "region-peers", "us=http://127.0.0.1:7173, us=http://127.0.0.1:7174/",
                "region-datacenters", "eu=dc1,us=dc2",
                "cassandra-datacenter", "dc1",
                "replication", "dc1:1,dc2:1"));
    }

    private static Map<String, String> euNodeWith(String key, String value) {
        Map<String, String> keys = euNode();
        if (value == null) {
            keys.remove(key);
        } else {
            keys.put(key, value);
        }
        return keys;
    }

    @Test
    void aNodeOfTheOnlyRegionHasNoLinkNoPeersAndOneCopy() {
        PigeonConfig config = PigeonConfig.defaults();

        assertThat(config.linkPort()).isZero();
        assertThat(config.linkSecret()).isNull();
        assertThat(config.regionPeers()).isEmpty();
        assertThat(config.regionDatacenters()).isEmpty();
        assertThat(config.cassandraOptions().replication()).isEqualTo(Replication.simple(1));
    }

    @Test
    void aNodeOfSeveralRegionsReadsItsLinkPeersDatacentresAndReplication() {
        PigeonConfig config = PigeonConfig.resolve(euNode(), Map.of());

        assertThat(config.linkPort()).isEqualTo(7171);
        assertThat(config.linkSecret()).isEqualTo("link-s3cret");
        assertThat(config.regionPeers()).containsExactly(Map.entry("us",
                List.of(URI.create("http://127.0.0.1:7173"), URI.create("http://127.0.0.1:7174"))));
        assertThat(config.regionDatacenters()).containsExactly(Map.entry("eu", "dc1"), Map.entry("us", "dc2"));
        assertThat(config.cassandraOptions().localDatacenter()).isEqualTo("dc1");
        assertThat(config.cassandraOptions().replication())
                .isEqualTo(Replication.networkTopology(Map.of("dc1", 1, "dc2", 1)));
    }

    @Test
    void theRegionKeysComeFromTheEnvironmentToo() {
        Map<String, String> env = new HashMap<>();
        euNode().forEach((key, value) -> env.put("PIGEON_" + key.toUpperCase().replace('-', '_'), value));

        PigeonConfig config = PigeonConfig.resolve(Map.of(), env);

        assertThat(config.regionPeers()).containsOnlyKeys("us");
        assertThat(config.linkSecret()).isEqualTo("link-s3cret");
        assertThat(config.source(PigeonConfig.REGION_PEERS)).isEqualTo(ConfigSource.ENVIRONMENT);
    }

    @Test
    void severalPeerRegionsKeepTheirNodesInTheOrderGiven() {
        Map<String, String> keys = euNodeWith("region-peers",
                "us=http://10.2.0.6:7171,ap=https://ap.example:443,us=http://10.2.0.5:7171");
        keys.put("region-datacenters", "eu=dc1,us=dc2,ap=dc3");
        keys.put("replication", "dc1:3,dc2:3,dc3:3");

        PigeonConfig config = PigeonConfig.resolve(keys, Map.of());

        assertThat(config.regionPeers().get("us"))
                .containsExactly(URI.create("http://10.2.0.6:7171"), URI.create("http://10.2.0.5:7171"));
        assertThat(config.regionPeers().get("ap")).containsExactly(URI.create("https://ap.example:443"));
        assertThat(PigeonConfig.REGION_PEERS.defaultText()).isNull();
        assertThat(ValueTypes.REGION_URLS.format(config.regionPeers()))
                .isEqualTo("us=http://10.2.0.6:7171,us=http://10.2.0.5:7171,ap=https://ap.example:443");
    }

    @Test
    void theLinkSecretIsNeverShown() {
        assertThat(PigeonConfig.LINK_SECRET.secret()).isTrue();
        assertThat(PigeonConfig.LINK_SECRET.display("link-s3cret")).isEqualTo("****");
    }

    @Test
    void malformedRegionValuesAreNamedWithWhatToWrite() {
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of(
                "region-peers", "us:http://127.0.0.1:7171",
                "region-datacenters", "eu=dc1,us",
                "replication", "dc1=1",
                "link-port", "seventy"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad value for region-peers (--region-peers): 'us:http://127.0.0.1:7171' is not region=url")
                .hasMessageContaining("bad value for region-datacenters (--region-datacenters): 'us' is not region=datacenter")
                .hasMessageContaining("bad value for replication (--replication): 'dc1=1' is not datacenter:copies")
                .hasMessageContaining("bad value for link-port (--link-port): 'seventy' is not a whole number");
    }

    @Test
    void peerUrlsMustBeBareHttpUrls() {
        for (String url : List.of("127.0.0.1:7171", "ftp://127.0.0.1:7171", "http://127.0.0.1:7171/link",
                "http://127.0.0.1:7171?x=1", "http://user@127.0.0.1:7171", "http:///nohost", "http://bad host")) {
            assertThatThrownBy(() -> ValueTypes.REGION_URLS.parse("us=" + url)).as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("write http://host:port");
        }
    }

    @Test
    void aUrlNamedTwiceIsRefused() {
        assertThatThrownBy(() -> ValueTypes.REGION_URLS.parse("us=http://a:1,ap=http://a:1"))
                .hasMessage("http://a:1 is named twice (in us and ap)");
        assertThatThrownBy(() -> ValueTypes.REGION_URLS.parse("us=http://a:1,us=http://a:1/"))
                .hasMessage("http://a:1 is named twice");
    }

    @Test
    void namesOfRegionsAndDataCentresArePlain() {
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("region", "eu west"), Map.of()))
                .hasMessageContaining("bad value for region (--region): 'eu west' is not a region name");
        assertThatThrownBy(() -> ValueTypes.REGION_URLS.parse("u/s=http://a:1"))
                .hasMessageContaining("'u/s' is not a region name");
        assertThatThrownBy(() -> ValueTypes.REGION_DATACENTERS.parse("eu=dc 1"))
                .hasMessageContaining("'dc 1' is not a data centre name");
        assertThatThrownBy(() -> ValueTypes.DATACENTER_COPIES.parse("dc'1:1"))
                .hasMessageContaining("'dc'1' is not a data centre name");
    }

    @Test
    void eachRegionIsOneDataCentreAndEachDataCentreHasCopies() {
        assertThatThrownBy(() -> ValueTypes.REGION_DATACENTERS.parse("eu=dc1,us=dc1"))
                .hasMessage("regions eu and us share data centre dc1: each region is its own data centre");
        assertThatThrownBy(() -> ValueTypes.REGION_DATACENTERS.parse("eu=dc1,eu=dc2"))
                .hasMessage("region eu is named twice");
        assertThatThrownBy(() -> ValueTypes.DATACENTER_COPIES.parse("dc1:0"))
                .hasMessage("data centre dc1 needs at least 1 copy, not 0");
        assertThatThrownBy(() -> ValueTypes.DATACENTER_COPIES.parse("dc1:1,dc1:2"))
                .hasMessage("data centre dc1 is named twice");
    }

    @Test
    void aNodeMayNotNameItsOwnRegionAmongItsPeers() {
        assertThatThrownBy(() -> PigeonConfig.resolve(euNodeWith("region-peers", "eu=http://127.0.0.1:7172"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("region-peers names eu, this node's own region (region): list only the other regions");
    }

    @Test
    void peersNeedALinkPortASecretDataCentresAndReplication() {
        Map<String, String> keys = Map.of("region", "eu", "region-peers", "us=http://127.0.0.1:7173");

        assertThatThrownBy(() -> PigeonConfig.resolve(keys, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("region-peers needs link-port")
                .hasMessageContaining("link-port and region-peers need link-secret")
                .hasMessageContaining("region-datacenters must name the data centre of every region; it lacks eu, us")
                .hasMessageContaining("region-peers needs replication");
    }

    @Test
    void aLinkPortAloneNeedsTheSecretAndItsOwnPort() {
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("link-port", "7171"), Map.of()))
                .hasMessageContaining("link-port and region-peers need link-secret");
        assertThatThrownBy(() -> PigeonConfig.resolve(euNodeWith("link-port", "9090"), Map.of()))
                .hasMessageContaining("link-port 9090 must differ from port and admin-port");
        assertThat(PigeonConfig.resolve(Map.of("link-port", "7171", "link-secret", "s"), Map.of()).linkPort())
                .isEqualTo(7171);
    }

    @Test
    void theDataCentresMustAgreeWithTheLocalOneAndThePeers() {
        assertThatThrownBy(() -> PigeonConfig.resolve(euNodeWith("cassandra-datacenter", "dc2"), Map.of()))
                .hasMessageContaining("region-datacenters puts eu (region) in data centre dc1, but cassandra-datacenter is dc2");
        assertThatThrownBy(() -> PigeonConfig.resolve(euNodeWith("region-datacenters", "eu=dc1,us=dc2,ap=dc3"), Map.of()))
                .hasMessageContaining("region-datacenters names ap, which region-peers does not reach");
    }

    @Test
    void replicationMustGiveEveryRegionsDataCentreCopies() {
        assertThatThrownBy(() -> PigeonConfig.resolve(euNodeWith("replication", "dc1:1"), Map.of()))
                .hasMessageContaining("replication gives no copies to data centre dc2");
        assertThatThrownBy(() -> PigeonConfig.resolve(Map.of("replication", "dc2:1"), Map.of()))
                .hasMessageContaining("replication gives no copies to data centre dc1");
    }

    @Test
    void onlyTheClusterNodeReadsTheRegionKeys() {
        assertThat(PigeonConfig.clusterSettings()).contains(PigeonConfig.LINK_PORT, PigeonConfig.LINK_SECRET,
                PigeonConfig.REGION_PEERS, PigeonConfig.REGION_DATACENTERS, PigeonConfig.REPLICATION, PigeonConfig.REGION);
        assertThat(PigeonConfig.embeddedSettings()).doesNotContain(PigeonConfig.LINK_PORT, PigeonConfig.LINK_SECRET,
                PigeonConfig.REGION_PEERS, PigeonConfig.REGION_DATACENTERS, PigeonConfig.REPLICATION);
    }
}
