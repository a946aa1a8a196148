package dev.pigeon.ops.regions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two regions on this machine, for a person to try and for failover drills: each region its own
 * Redis and its own Cassandra data centre ({@code ops/bin/services up --regions}, or services already
 * running), and its node processes ({@code pigeon node}), every node linked to the other region's.
 * A region's nodes, data centre and Redis can each be stopped and started again; {@link #close} stops
 * everything the deployment started.
 */
public final class RegionsDeployment implements DrillTarget {
    private static final Logger log = LoggerFactory.getLogger(RegionsDeployment.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final RegionsPlan plan;
    private final OpsBin bin;
    private final Map<String, List<NodeProcess>> nodes = new LinkedHashMap<>();
    private RegionsLayout layout;
    private boolean servicesStarted;
    private boolean closed;

    /** A deployment of {@code plan}, nothing started yet: {@link #launch} starts it. */
    public RegionsDeployment(RegionsPlan plan) {
        this.plan = plan;
        this.bin = new OpsBin(OpsBin.locate(), plan.progress());
    }

    /**
     * Starts the services (unless the plan names running ones), then every node, and returns once
     * every node answers {@code /readyz}; stops whatever it started when a part fails.
     */
    public static RegionsDeployment start(RegionsPlan plan) {
        return new RegionsDeployment(plan).launch();
    }

    /** As {@link #start}: for a caller that must be able to {@link #close} while it starts (Ctrl-C). */
    @Override
    public RegionsDeployment launch() {
        try {
            List<NodeProcess> all = prepare();
            // One node creates the keyspace and its tables before the others start: schema changes
            // made at once from both data centres can leave them disagreeing on a table.
            startOnly(all.subList(0, 1)).forEach(node -> node.awaitReady(READY_TIMEOUT));
            startOnly(all.subList(1, all.size())).forEach(node -> node.awaitReady(READY_TIMEOUT));
            log.info("regions {} ready: {} nodes in {}", plan.regions(), all.size(), plan.dir());
            return this;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public List<String> regions() {
        return plan.regions();
    }

    /** The nodes of {@code region}, in order ({@code eu-1}, {@code eu-2}...). */
    @Override
    public synchronized List<NodeEndpoints> nodes(String region) {
        return layout().nodes(region);
    }

    /** Where {@code region}'s Redis and data centre are. */
    public synchronized RegionServices services(String region) {
        return layout().services(region);
    }

    /** The log of a node, which every start of it appends to. */
    public synchronized Path log(NodeEndpoints node) {
        return processes(node.region()).stream().filter(p -> p.endpoints().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a node of this deployment: " + node)).log();
    }

    public RegionsPlan plan() {
        return plan;
    }

    @Override
    public String adminToken() {
        return plan.adminToken();
    }

    @Override
    public String jwtSecret() {
        return plan.jwtSecret();
    }

    /** SIGKILL to every node of {@code region}; returns once they are gone. */
    @Override
    public void killNodes(String region) {
        log.info("killing the nodes of {}", region);
        processes(region).forEach(NodeProcess::kill);
    }

    /** Starts the nodes of {@code region} again, on the same ports, and waits until each is ready. */
    @Override
    public void startNodes(String region) {
        List<NodeProcess> regionNodes = processes(region);
        log.info("starting the nodes of {}", region);
        regionNodes.forEach(NodeProcess::start);
        regionNodes.forEach(node -> node.awaitReady(READY_TIMEOUT));
    }

    /** Stops the Cassandra node of {@code region}'s data centre; returns once it has exited. */
    @Override
    public void stopDatacenter(String region) {
        log.info("stopping the data centre of {}", region);
        services(region).stopCassandra(bin);
    }

    /** Starts {@code region}'s Cassandra node again; returns once it answers CQL. */
    @Override
    public void startDatacenter(String region) {
        log.info("starting the data centre of {}", region);
        services(region).startCassandra(bin);
    }

    /** Stops {@code region}'s Redis (its keys are lost). */
    @Override
    public void stopRedis(String region) {
        log.info("stopping the Redis of {}", region);
        services(region).stopRedis(bin);
    }

    /** Starts {@code region}'s Redis again, empty; returns once it answers. */
    @Override
    public void startRedis(String region) {
        log.info("starting the Redis of {}", region);
        services(region).startRedis(bin);
    }

    /**
     * Stops every node (SIGTERM, then SIGKILL after a grace), then the services when the deployment
     * started them. Safe to call more than once, and while {@link #launch} runs.
     */
    @Override
    public void close() {
        List<NodeProcess> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = nodes.values().stream().flatMap(List::stream).toList();
        }
        running.forEach(NodeProcess::stop);
        synchronized (this) {
            if (servicesStarted) {
                try {
                    bin.run("services", servicesArguments("down"));
                } catch (RuntimeException e) {
                    log.warn("stopping the services in {} failed: {}", servicesDir(), e.getMessage());
                }
            }
        }
    }

    /** Starts the services (unless running ones are given) and places the nodes, under the lock so that {@link #close} sees them. */
    private synchronized List<NodeProcess> prepare() {
        requireOpen();
        try {
            Files.createDirectories(plan.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + plan.dir(), e);
        }
        TwoRegionServices services = plan.startsServices() ? startServices() : plan.runningServices();
        layout = RegionsLayout.of(plan, services);
        List<NodeProcess> all = new ArrayList<>();
        for (String region : plan.regions()) {
            List<NodeProcess> regionNodes = layout.nodes(region).stream()
                    .map(node -> new NodeProcess(node, layout.nodeArguments(node), layout.secrets(),
                            plan.dir().resolve(node.nodeId() + ".log")))
                    .toList();
            nodes.put(region, regionNodes);
            all.addAll(regionNodes);
        }
        return all;
    }

    /** Starts {@code some} of the nodes unless the deployment was closed meanwhile. */
    private synchronized List<NodeProcess> startOnly(List<NodeProcess> some) {
        requireOpen();
        some.forEach(NodeProcess::start);
        return some;
    }

    private TwoRegionServices startServices() {
        log.info("starting two Redis and two Cassandra data centres in {} (up to a minute)", servicesDir());
        servicesStarted = true;  // close() runs down even after a half-failed up
        String printed = bin.run("services", servicesArguments("up"));
        Map<String, String> variables = new LinkedHashMap<>();
        printed.lines().map(String::strip).filter(line -> line.matches("[A-Z0-9_]+=\\S+")).forEach(line -> {
            int eq = line.indexOf('=');
            variables.put(line.substring(0, eq), line.substring(eq + 1));
        });
        return TwoRegionServices.fromVariables(variables);
    }

    /** Every services command gets the same options, as ops/bin/services asks. */
    private String[] servicesArguments(String command) {
        List<String> arguments = new ArrayList<>(List.of(command, "--dir", servicesDir().toString(), "--regions"));
        arguments.addAll(plan.servicesOptions());
        return arguments.toArray(String[]::new);
    }

    private Path servicesDir() {
        return plan.dir().resolve("services");
    }

    private synchronized List<NodeProcess> processes(String region) {
        layout().nodes(region);
        return nodes.getOrDefault(region, List.of());
    }

    private RegionsLayout layout() {
        if (layout == null) {
            throw new IllegalStateException("the deployment has not started");
        }
        return layout;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the deployment is closed");
        }
    }
}
