package dev.pigeon.ops.regions;

import dev.pigeon.ops.config.PigeonConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionsPlanTest {

    @TempDir
    Path dir;

    @Test
    void byDefaultTwoNodesInEuAndUsOnFreePortsWithTheDemoCredentialsAndServicesOfItsOwn() {
        RegionsPlan plan = RegionsPlan.builder(dir).build();

        assertThat(plan.regions()).containsExactly("eu", "us");
        assertThat(plan.nodesPerRegion()).isEqualTo(2);
        assertThat(List.of(plan.basePort(), plan.baseAdminPort(), plan.baseLinkPort())).containsOnly(0);
        assertThat(plan.keyspace()).isEqualTo("pigeon");
        assertThat(plan.jwtSecret()).isEqualTo(PigeonConfig.DEMO_JWT_SECRET);
        assertThat(plan.adminToken()).isEqualTo(PigeonConfig.DEMO_ADMIN_TOKEN);
        assertThat(plan.startsServices()).isTrue();
        assertThat(plan.progress().file()).isEqualTo(dir.resolve("services.log").toFile());
    }

    @Test
    void everyDeploymentHasALinkSecretOfItsOwnThatItsDescriptionNeverShows() {
        RegionsPlan one = RegionsPlan.builder(dir).build();
        RegionsPlan other = RegionsPlan.builder(dir).build();

        assertThat(one.linkSecret()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(other.linkSecret());
        assertThat(one.toString()).doesNotContain(one.linkSecret(), one.jwtSecret(), one.adminToken())
                .contains("eu", "us", dir.toString());
    }

    @Test
    void exactlyTwoDifferentPlainRegionsAreNeeded() {
        assertThatThrownBy(() -> RegionsPlan.builder(dir).regions(List.of("eu")).build())
                .hasMessage("name two different regions, not [eu]");
        assertThatThrownBy(() -> RegionsPlan.builder(dir).regions(List.of("eu", "eu")).build())
                .hasMessage("name two different regions, not [eu, eu]");
        assertThatThrownBy(() -> RegionsPlan.builder(dir).regions(List.of("eu", "us", "ap")).build())
                .hasMessageContaining("name two different regions");
        assertThatThrownBy(() -> RegionsPlan.builder(dir).regions(List.of("eu", "u s")).build())
                .hasMessageContaining("'u s' is not a region name");
    }

    @Test
    void badCountsPortsAndSecretsAreRefused() {
        assertThatThrownBy(() -> RegionsPlan.builder(dir).nodesPerRegion(0).build())
                .hasMessage("--nodes-per-region must be at least 1");
        assertThatThrownBy(() -> RegionsPlan.builder(dir).basePorts(65_533, 9090, 7170).build())
                .hasMessage("--base-port 65533: the ports of 4 nodes do not fit below 65536");
        assertThatThrownBy(() -> RegionsPlan.builder(dir).basePorts(8080, -1, 7170).build())
                .hasMessageContaining("--base-admin-port -1");
        assertThatThrownBy(() -> RegionsPlan.builder(dir).linkSecret(" ").build())
                .hasMessage("linkSecret must not be empty");
    }

    @Test
    void runningServicesTakeNoServicesOptions() {
        TwoRegionServices running = TwoRegionServicesTest.servicesIn(dir);

        assertThat(RegionsPlan.builder(dir).runningServices(running).build().startsServices()).isFalse();
        assertThatThrownBy(() -> RegionsPlan.builder(dir).runningServices(running)
                .servicesOptions("--redis-port", "6392").build())
                .hasMessageContaining("services options are for services the deployment starts");
    }

    @Test
    void theServicesOfTheTestsComeFromTheVariablesOpsBinServicesPrints() {
        TestRegions regions = new TestRegions(TwoRegionServices.fromVariables(TwoRegionServicesTest.variables(dir)),
                new OpsBin(dir, ProcessBuilder.Redirect.DISCARD));

        assertThat(regions.redisUrl("eu")).isEqualTo("redis://127.0.0.1:6392");
        assertThat(regions.cassandra("us")).isEqualTo("127.0.0.4:9042");
        assertThat(regions.datacenters()).isEqualTo(Map.of("eu", "dc1", "us", "dc2"));
        RegionsPlan plan = regions.plan(dir).build();
        assertThat(plan.startsServices()).isFalse();
        assertThat(plan.keyspace()).startsWith("pigeon_it_").isNotEqualTo(regions.plan(dir).build().keyspace());
        assertThatThrownBy(() -> regions.region("ap")).hasMessage("the test regions are [eu, us], not ap");
    }
}
