package dev.pigeon.ops;

import dev.pigeon.ops.cluster.LocalCluster;
import dev.pigeon.ops.cluster.LocalCluster.Node;
import dev.pigeon.ops.config.PigeonConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pigeon cluster}: a whole cluster on this machine for trying cluster mode out: Redis and
 * Cassandra on loopback, then N {@code pigeon node} processes. Ctrl-C or SIGTERM stops the nodes,
 * then the services.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        optionListHeading = "Options:%n",
        description = {
                "Run a Pigeon cluster on this machine: Redis and Cassandra on 127.0.0.1 (ops/bin/services), then "
                        + "--nodes node processes (pigeon node) on ports --base-port, --base-port + 1, ... and admin "
                        + "ports 9090, 9091, ...; their logs go to DIR/node-N.log.",
                "Uses the published demo credentials. Stops the nodes, then Redis and Cassandra, on Ctrl-C or SIGTERM."})
final class ClusterCommand implements Callable<Integer> {
    private static final int BASE_ADMIN_PORT = 9090;
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(1);

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "<n>", defaultValue = "3", description = "How many nodes. Default: 3.")
    private int nodes;

    @Option(names = "--dir", paramLabel = "<path>", defaultValue = "cluster",
            description = "Where Redis and Cassandra keep their data and the nodes their logs. Default: cluster.")
    private Path dir;

    @Option(names = "--base-port", paramLabel = "<port>", defaultValue = "8080",
            description = "Public port of the first node. Default: 8080.")
    private int basePort;

    @Override
    public Integer call() {
        LocalCluster cluster = new LocalCluster(new LocalCluster.Plan(nodes, dir.toAbsolutePath().normalize(), basePort,
                BASE_ADMIN_PORT, PigeonConfig.KEYSPACE.defaultValue(), PigeonConfig.REDIS_PREFIX.defaultValue(),
                PigeonConfig.DEMO_JWT_SECRET, PigeonConfig.DEMO_ADMIN_TOKEN, servicesScript()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.stop();
            stopped.countDown();
        }, "pigeon-cluster-shutdown"));
        List<Node> started = cluster.start();
        printWelcome(started);
        awaitQuietly(stopped);
        return 0;
    }

    private void printWelcome(List<Node> started) {
        PrintWriter out = spec.commandLine().getOut();
        ClientTokens tokens = new ClientTokens(PigeonConfig.DEMO_JWT_SECRET, TOKEN_LIFETIME, Clock.systemUTC());
        out.println("Pigeon cluster is up: " + started.size() + " nodes, Redis and Cassandra in " + dir);
        for (Node node : started) {
            out.printf("  %-8s http://127.0.0.1:%d  ws://127.0.0.1:%d/v1/ws?token=TOKEN  admin http://127.0.0.1:%d  log %s%n",
                    node.id(), node.port(), node.port(), node.adminPort(), node.log());
        }
        out.println("Tokens (HS256, signed with the demo secret, valid " + TOKEN_LIFETIME.toHours() + " h):");
        out.println("  ALICE=" + tokens.mint("alice"));
        out.println("  BOB=" + tokens.mint("bob"));
        Node first = started.get(0);
        Node last = started.get(started.size() - 1);
        out.println("Try: bob listens on " + last.id() + ", alice sends on " + first.id() + ":");
        out.printf("  websocat 'ws://127.0.0.1:%d/v1/ws?token=$BOB'%n", last.port());
        out.printf("  curl -H \"Authorization: Bearer $ALICE\" -d '{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\","
                + "\"body\":\"hi\"}' http://127.0.0.1:%d/v1/send%n", first.port());
        out.printf("  curl -H 'Authorization: Bearer %s' http://127.0.0.1:%d/admin/stats%n",
                PigeonConfig.DEMO_ADMIN_TOKEN, first.adminPort());
        out.println("Ctrl-C stops the nodes, then Redis and Cassandra.");
        out.flush();
    }

    /** ops/bin/services, found from where this code runs: ops/target/pigeon.jar or ops/target/classes. */
    private static Path servicesScript() {
        try {
            Path codeSource = Path.of(ClusterCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path script = codeSource.getParent().getParent().resolve("bin").resolve("services");
            if (!Files.isExecutable(script)) {
                throw new IllegalStateException("cannot find ops/bin/services next to " + codeSource);
            }
            return script;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where pigeon runs from", e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
