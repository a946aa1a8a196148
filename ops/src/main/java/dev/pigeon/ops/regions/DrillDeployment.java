package dev.pigeon.ops.regions;

import java.util.List;

/** The local two-region deployment ({@link RegionsDeployment}) as a drill's target. */
final class DrillDeployment implements DrillTarget {
    private final RegionsDeployment deployment;

    private DrillDeployment(RegionsDeployment deployment) {
        this.deployment = deployment;
    }

    /**
     * The default deployment (regions eu and us, two nodes each, free ports) in the plan's directory,
     * its services placed by the plan's {@code ops/bin/services} options; not started yet.
     */
    static DrillTarget of(DrillPlan plan) {
        return new DrillDeployment(new RegionsDeployment(RegionsPlan.builder(plan.dir())
                .servicesOptions(plan.servicesOptions().toArray(String[]::new))
                .build()));
    }

    @Override
    public void start() {
        deployment.launch();
    }

    @Override
    public List<String> regions() {
        return deployment.regions();
    }

    @Override
    public List<NodeEndpoints> nodes(String region) {
        return deployment.nodes(region);
    }

    @Override
    public String adminToken() {
        return deployment.adminToken();
    }

    @Override
    public String jwtSecret() {
        return deployment.jwtSecret();
    }

    @Override
    public void killNodes(String region) {
        deployment.killNodes(region);
    }

    @Override
    public void startNodes(String region) {
        deployment.startNodes(region);
    }

    @Override
    public void stopDatacenter(String region) {
        deployment.stopDatacenter(region);
    }

    @Override
    public void startDatacenter(String region) {
        deployment.startDatacenter(region);
    }

    @Override
    public void stopRedis(String region) {
        deployment.stopRedis(region);
    }

    @Override
    public void startRedis(String region) {
        deployment.startRedis(region);
    }

    @Override
    public void close() {
        deployment.close();
    }
}
