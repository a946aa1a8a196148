package dev.pigeon.ops.regions;

import dev.pigeon.ops.ShutdownHooks;
import dev.pigeon.ops.config.DurationConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code pigeon drill}: the failover drill. Starts a local deployment of two regions, chats across
 * them, loses one region whole in the middle, fails over to the other, brings the lost one back and
 * reconciles, then checks that every acknowledged message is in its history and every member's
 * inbox exactly once. Exits 1 when anything acknowledged was lost or repeated.
 */
@Command(name = "drill", sortOptions = false,
        description = {
                "Failover drill on a local two-region deployment (its own Cassandra data centres, Redis and nodes). "
                        + "Pairs of users, one homed in each region, chat in their dm: conversations and a group "
                        + "spanning both regions at a steady rate; each message keeps its client id until acked.",
                "At --loss-at the region named by --lose is lost whole (nodes killed, its data centre and Redis "
                        + "stopped); its users reconnect to the survivor, and the drill declares the failover "
                        + "(POST /admin/regions/R/failover). After --duration of load the region comes back and is "
                        + "reconciled (POST /admin/regions/R/reconcile).",
                "Reports the recovery time (loss to each lost-region user's first send acked through the survivor, "
                        + "the slowest), the messages at risk right after the failover, what reconciliation "
                        + "recovered, and the final check: lost, duplicates, order violations, seq gaps."})
public final class DrillCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--lose", required = true, paramLabel = "<region>", description = "The region to lose.")
    private String lose;

    @Option(names = "--report", paramLabel = "<file>", description = "Also write the report as JSON to this file.")
    private Path report;

    @Option(names = "--duration", defaultValue = "90s", converter = DurationConverter.class,
            description = "Load in all, the loss included (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--loss-at", defaultValue = "30s", converter = DurationConverter.class,
            description = "When, after the load started, the region is lost (default: ${DEFAULT-VALUE}).")
    private Duration lossAt;

    @Option(names = "--pairs", defaultValue = "20",
            description = "Pairs of users, one homed in each region (default: ${DEFAULT-VALUE}).")
    private int pairs;

    @Option(names = "--rate", defaultValue = "20",
            description = "Messages per second across all users (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--dir", paramLabel = "<dir>",
            description = "Where the deployment keeps its data and logs (default: a new temporary directory).")
    private Path dir;

    @Option(names = "--services-options", paramLabel = "<options>",
            description = "More ops/bin/services up options, to run beside Redis and Cassandra on the default addresses, "
                    + "e.g. \"--redis-port 6392 --redis-2-port 6393 --cassandra-listen 127.0.0.3 --cassandra-dc2-listen "
                    + "127.0.0.4 --jmx-port 7399 --dc2-jmx-port 7499\".")
    private String servicesOptions;

    @Option(names = "--cut-replication", defaultValue = "0s", converter = DurationConverter.class,
            description = "Take the survivor's data centre down this long before the loss (back at the loss), so that "
                    + "what the lost region acknowledges meanwhile never replicates: messages at risk, which "
                    + "reconciliation must recover (default: ${DEFAULT-VALUE}, no cut).")
    private Duration cutReplication;

    @Option(names = "--run-id", paramLabel = "<id>",
            description = "Names this run's users and group (lowercase letters and digits); default: from the clock.")
    private String runId;

    private final Function<DrillPlan, DrillTarget> deployments;

    public DrillCommand() {
        this(DrillCommand::deploymentFor);
    }

    /**
     * The default deployment (regions eu and us, two nodes each, free ports) in the plan's directory,
     * its services placed by the plan's {@code ops/bin/services} options; not started yet.
     */
    private static DrillTarget deploymentFor(DrillPlan plan) {
        return new RegionsDeployment(RegionsPlan.builder(plan.dir())
                .servicesOptions(plan.servicesOptions().toArray(String[]::new))
                .build());
    }

    /** @param deployments the deployment a plan runs against, not started yet */
    DrillCommand(Function<DrillPlan, DrillTarget> deployments) {
        this.deployments = deployments;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        DrillPlan plan = plan();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("pigeon drill: starting two regions in %s (Cassandra takes a minute or two; services log %s)%n",
                plan.dir(), plan.dir().resolve("services.log"));
        out.flush();
        DrillTarget target = deployments.apply(plan);
        Thread stopOnSignal = new Thread(target::close, "pigeon-drill-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        DrillReport result;
        try {
            target.launch();
            result = new DrillRun(plan, target, out).run();
        } finally {
            out.println("stopping the deployment");
            out.flush();
            target.close();
            ShutdownHooks.remove(stopOnSignal);
        }
        out.print(result.summary());
        if (report != null) {
            result.write(report);
            out.println("report written to " + report);
        }
        out.flush();
        return result.passed() ? 0 : 1;
    }

    private DrillPlan plan() {
        try {
            String id = runId != null ? runId : Long.toString(System.currentTimeMillis(), 36);
            return new DrillPlan(lose, duration, lossAt, pairs, rate,
                    dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "pigeon-drill-" + id), id,
                    servicesOptions == null ? List.of() : List.of(servicesOptions.trim().split("\\s+")), cutReplication);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
