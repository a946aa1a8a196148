package dev.pigeon.ops.regions;

import dev.pigeon.ops.ClientTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pigeon regions}: two regions on this machine for trying regions out, each with its own
 * Redis, its own Cassandra data centre and its nodes ({@link RegionsDeployment}). Ctrl-C or SIGTERM
 * stops the nodes, then the services.
 */
@Command(name = "regions", mixinStandardHelpOptions = true, sortOptions = false,
        optionListHeading = "Options:%n",
        description = {
                "Run two Pigeon regions on this machine: for each, a Redis and a Cassandra data centre on loopback "
                        + "(ops/bin/services up --regions: Redis 6390 and 6391, Cassandra dc1 on 127.0.0.1 and dc2 on "
                        + "127.0.0.2, unless --services-options moves them), one keyspace replicated to both, and --nodes-per-region node processes (pigeon "
                        + "node) linked to the other region's. Their logs go to DIR/<node>.log.",
                "Uses the published demo credentials. Stops the nodes, then Redis and Cassandra, on Ctrl-C or SIGTERM."})
public final class RegionsCommand implements Callable<Integer> {
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(1);

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes-per-region", paramLabel = "<n>", defaultValue = "2",
            description = "Nodes in each region. Default: 2.")
    private int nodesPerRegion;

    @Option(names = "--regions", paramLabel = "<a,b>", split = ",", defaultValue = "eu,us",
            description = "The two regions' names; the first is in data centre dc1, the second in dc2. Default: eu,us.")
    private List<String> regions;

    @Option(names = "--dir", paramLabel = "<path>", defaultValue = "regions",
            description = "Where Redis and Cassandra keep their data (DIR/services) and the nodes their logs. Default: regions.")
    private Path dir;

    @Option(names = "--base-port", paramLabel = "<port>", defaultValue = "8080",
            description = "Public port of the first node; the others follow, the first region's nodes first. Default: 8080.")
    private int basePort;

    @Option(names = "--base-admin-port", paramLabel = "<port>", defaultValue = "9090",
            description = "Admin port of the first node; the others follow. Default: 9090.")
    private int baseAdminPort;

    @Option(names = "--base-link-port", paramLabel = "<port>", defaultValue = "7170",
            description = "Region link port of the first node; the others follow. Default: 7170.")
    private int baseLinkPort;

    @Option(names = "--services-options", paramLabel = "<options>", split = "\\s+", defaultValue = "",
            description = "More ops/bin/services options, to run beside services on the default addresses and ports, "
                    + "e.g. '--redis-port 6392 --redis-2-port 6393 --cassandra-listen 127.0.0.3 "
                    + "--cassandra-dc2-listen 127.0.0.4'.")
    private List<String> servicesOptions;

    /** The plan this invocation asks for; refuses bad options before anything starts. */
    RegionsPlan plan() {
        return RegionsPlan.builder(dir)
                .regions(regions)
                .nodesPerRegion(nodesPerRegion)
                .basePorts(basePort, baseAdminPort, baseLinkPort)
                .servicesOptions(servicesOptions.stream().filter(option -> !option.isEmpty()).toArray(String[]::new))
                .progress(ProcessBuilder.Redirect.INHERIT)
                .build();
    }

    @Override
    public Integer call() {
        RegionsDeployment deployment = new RegionsDeployment(plan());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deployment.close();
            stopped.countDown();
        }, "pigeon-regions-shutdown"));
        deployment.launch();
        printWelcome(deployment);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void printWelcome(RegionsDeployment deployment) {
        PrintWriter out = spec.commandLine().getOut();
        String first = deployment.regions().get(0);
        String second = deployment.regions().get(1);
        out.println("Pigeon regions are up: " + first + " and " + second + ", data and logs in " + deployment.plan().dir());
        for (String region : deployment.regions()) {
            RegionServices services = deployment.services(region);
            out.printf("Region %s: Cassandra data centre %s at %s, Redis %s%n", region, services.datacenter(),
                    services.cassandra(), services.redisUrl());
            for (NodeEndpoints node : deployment.nodes(region)) {
                out.printf("  %-6s %s  %s?token=TOKEN  admin %s  link %s  log %s%n", node.nodeId(), node.http(),
                        node.ws(), node.admin(), node.link(), deployment.log(node));
            }
        }
        out.println("Admin token: " + deployment.adminToken());
        out.println("Tokens (HS256, sub = the user, signed with the demo secret " + deployment.jwtSecret() + ", valid "
                + TOKEN_LIFETIME.toHours() + " h; sign others the same way):");
        ClientTokens tokens = new ClientTokens(deployment.jwtSecret(), TOKEN_LIFETIME, Clock.systemUTC());
        out.println("  ALICE=" + tokens.mint("alice"));
        out.println("  BOB=" + tokens.mint("bob"));
        NodeEndpoints alicesNode = deployment.nodes(first).get(0);
        NodeEndpoints bobsNode = deployment.nodes(second).get(0);
        out.println("A user's home is the region of the node that first needs it. Try: bob listens in " + second
                + ", alice sends in " + first + ":");
        out.printf("  websocat \"%s?token=$BOB\"%n", bobsNode.ws());
        out.printf("  curl -H \"Authorization: Bearer $ALICE\" -d '{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\","
                + "\"body\":\"hi\"}' %s/v1/send%n", alicesNode.http());
        out.printf("  curl -H 'Authorization: Bearer %s' %s/admin/regions%n", deployment.adminToken(), alicesNode.admin());
        out.printf("Declare %s lost and move its users to %s: curl -X POST -H 'Authorization: Bearer %s' "
                + "%s/admin/regions/%s/failover%n", second, first, deployment.adminToken(), alicesNode.admin(), second);
        out.println("Ctrl-C stops the nodes, then Redis and Cassandra.");
        out.flush();
    }
}
