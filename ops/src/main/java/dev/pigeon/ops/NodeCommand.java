package dev.pigeon.ops;

import dev.pigeon.ops.cluster.ClusterNode;
import dev.pigeon.ops.config.PigeonConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pigeon node}: one node of a cluster, with messages in Cassandra and presence and the node
 * bus in Redis. Runs until the process is told to stop (SIGTERM, Ctrl-C), then shuts down in order.
 */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        optionListHeading = "Options:%n",
        description = {
                "Run one node of a Pigeon cluster: messages in Cassandra (keyspace and tables created when missing), "
                        + "presence and node-to-node delivery in Redis. No dev tokens: clients bring tokens signed "
                        + "with --jwt-secret.",
                "Every node of a cluster names the same --redis, --redis-prefix, --cassandra and --keyspace, "
                        + "and its own --node-id.",
                "Several regions: each has its own Redis and is its own Cassandra data centre, and all share one "
                        + "keyspace. A node names its --region and --cassandra-datacenter, its --link-port, the "
                        + "--link-secret every region shares, the other regions' nodes (--region-peers "
                        + "us=http://host:port,...), every region's data centre (--region-datacenters eu=dc1,us=dc2) "
                        + "and the keyspace's --replication (dc1:3,dc2:3).",
                "Stops cleanly on SIGTERM or Ctrl-C: sessions are told to reconnect, in-flight sends finish, "
                        + "then Redis and Cassandra are let go."},
        footer = {"", "Each option is also an environment variable (--node-id: PIGEON_NODE_ID) and a key "
                + "of the --config file (node-id = node-1). Command line beats environment beats file beats default."})
final class NodeCommand implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    NodeCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The configuration this invocation asks for. */
    PigeonConfig config() {
        return PigeonConfig.resolve(SettingOptions.given(spec.commandLine().getParseResult(),
                PigeonConfig.clusterSettings()), environment);
    }

    @Override
    public Integer call() {
        ClusterNode node = ClusterNode.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "pigeon-shutdown"));
        node.awaitStopped();
        return 0;
    }
}
