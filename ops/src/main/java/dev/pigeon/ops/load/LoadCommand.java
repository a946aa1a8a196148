package dev.pigeon.ops.load;

import dev.pigeon.ops.ShutdownHooks;
import dev.pigeon.ops.config.DurationConverter;
import dev.pigeon.ops.config.Durations;
import dev.pigeon.ops.config.PigeonConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code pigeon load}: a load generator and benchmark speaking PROTOCOL.md over WebSocket to one
 * running gateway or to the nodes of a cluster. By default sessions chat in pairs at a fixed total
 * rate, open loop, and the receiver of each message records its latency from the time the send
 * was scheduled; with {@code --group-members} it measures a group's fan-out instead. Bounded: it
 * stops by itself.
 */
@Command(name = "load", sortOptions = false,
        description = {
                "Generates chat load against a running Pigeon gateway, or the nodes of a cluster, over WebSocket "
                        + "(pigeon.v1.json).",
                "Pairs (the default): sessions are paired (users 2k and 2k+1) and chat in their dm: conversation at "
                        + "a fixed total rate; latency is measured from each message's scheduled send time to its "
                        + "delivery. With several --url, the two sessions of each pair sit on different nodes.",
                "Group fan-out (--group-members N): creates one group of N members over the HTTP API, connects every "
                        + "member round-robin over the --url list, and one member sends --messages messages one at "
                        + "a time; measures send to the first and to the last member's delivery and checks that "
                        + "every member got every message exactly once.",
                "Prints progress every second, then the numbers, errors, the gateways' resident memory per session "
                        + "and the machine's CPU use."})
public final class LoadCommand implements Callable<Integer> {
    static final String JWT_SECRET_ENV = "PIGEON_JWT_SECRET";
    private static final Duration LONGEST_RUN = Duration.ofHours(1);
    private static final int LARGEST_BODY = 64 * 1024;
    private static final long CPU_SAMPLE_WAIT_MILLIS = 2_000;
    /** Options of the pair mode only, and of the group fan-out only: refused in the other mode. */
    private static final List<String> PAIR_OPTIONS = List.of("--sessions", "--rate", "--duration", "--warmup",
            "--processes");
    private static final List<String> FANOUT_OPTIONS = List.of("--messages", "--warmup-messages", "--message-interval");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/v1/ws", split = ",", paramLabel = "<url>",
            description = "WebSocket endpoint of the gateway; several, comma separated, for the nodes of one cluster "
                    + "(default: ${DEFAULT-VALUE}).")
    private List<URI> urls;

    @Option(names = "--sessions", defaultValue = "1000", description = "Sessions to open (default: ${DEFAULT-VALUE}).")
    private int sessions;

    @Option(names = "--rate", defaultValue = "1000",
            description = "Messages per second across all pairs; 0 opens the sessions and only holds them "
                    + "(default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured time, after the warm-up; how long idle sessions are held (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "Sending before the measured time, not counted (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--body-bytes", defaultValue = "64", description = "Size of each message body (default: ${DEFAULT-VALUE}).")
    private int bodyBytes;

    @Option(names = "--connect-rate", defaultValue = "1000",
            description = "New connections per second, in total (default: ${DEFAULT-VALUE}).")
    private double connectRate;

    @Option(names = "--processes", defaultValue = "1",
            description = "Spread the sessions over this many child JVMs (a process holds at most about 19,000 "
                    + "sockets here) (default: ${DEFAULT-VALUE}).")
    private int processes;

    @Option(names = "--group-members", paramLabel = "<n>",
            description = "Group fan-out instead of pairs: one group of this many members, the sender included.")
    private Integer groupMembers;

    @Option(names = "--messages", defaultValue = "50", paramLabel = "<n>",
            description = "Group fan-out: counted messages the sender sends (default: ${DEFAULT-VALUE}).")
    private int messages;

    @Option(names = "--warmup-messages", defaultValue = "5", paramLabel = "<n>",
            description = "Group fan-out: messages sent first and left out of the timing (default: ${DEFAULT-VALUE}).")
    private int warmupMessages;

    @Option(names = "--message-interval", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Group fan-out: least time between two sends; the next message also waits until the previous "
                    + "one reached every member. Keep the sender under the server's sends-per-second (20 by default) "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration messageInterval;

    @Option(names = "--gateway-pid", split = ",", paramLabel = "<pid>",
            description = "Process ids of the gateways, comma separated, to read their memory and CPU; default: the "
                    + "processes listening on the URLs' ports.")
    private List<Long> gatewayPids;

    @Option(names = "--jwt-secret",
            description = "HS256 secret to sign the users' tokens with; default: $" + JWT_SECRET_ENV
                    + ", else the demo secret.")
    private String jwtSecret;

    @Option(names = "--run-id", description = "Names this run's users load-<run-id>-<n>; default: from the clock.")
    private String runId;

    @Option(names = "--first-session", hidden = true, defaultValue = "0")
    private int firstSession;

    @Option(names = "--child", hidden = true,
            description = "Run as one process of a multi-process run: report in machine lines, start on 'go'.")
    private boolean child;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (groupMembers != null) {
            refuse(PAIR_OPTIONS, "does not apply to a group fan-out (--group-members)");
            return runFanout(fanoutPlan());
        }
        refuse(FANOUT_OPTIONS, "applies to a group fan-out only: give --group-members");
        LoadPlan plan = plan();
        return child ? runAsChild(plan) : runAsParent(plan);
    }

    private void refuse(List<String> options, String why) {
        for (String option : options) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ParameterException(spec.commandLine(), option + " " + why);
            }
        }
    }

    private FanoutPlan fanoutPlan() {
        requireBodySize();
        try {
            return new FanoutPlan(urls, runId(), groupMembers, warmupMessages, messages, messageInterval, bodyBytes,
                    connectRate, secret());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private LoadPlan plan() {
        if (processes < 1) {
            throw new ParameterException(spec.commandLine(), "--processes must be at least 1");
        }
        if (duration.isZero() || duration.compareTo(LONGEST_RUN) > 0 || warmup.compareTo(LONGEST_RUN) > 0) {
            throw new ParameterException(spec.commandLine(),
                    "--duration must be between 1ms and 1h, --warmup at most 1h: a load run is bounded");
        }
        requireBodySize();
        try {
            return new LoadPlan(urls, runId(), firstSession, sessions, rate, duration, warmup, bodyBytes, connectRate,
                    secret());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void requireBodySize() {
        if (bodyBytes < 0 || bodyBytes > LARGEST_BODY) {
            throw new ParameterException(spec.commandLine(), "--body-bytes must be between 0 and " + LARGEST_BODY);
        }
    }

    private String secret() {
        return jwtSecret != null ? jwtSecret : System.getenv().getOrDefault(JWT_SECRET_ENV, PigeonConfig.DEMO_JWT_SECRET);
    }

    private String runId() {
        return runId != null ? runId : Long.toString(System.currentTimeMillis(), 36);
    }

    private int runAsParent(LoadPlan plan) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Gateways gateways = gateways(plan.urls());
        out.printf(Locale.ROOT, "pigeon load: %d sessions (run %s) against %s, %s, %d process(es); %s%n",
                plan.sessions(), plan.runId(), target(plan.urls()),
                plan.idle() ? "idle" : String.format(Locale.ROOT, "%.0f msg/s for %s after %s warm-up", plan.rate(),
                        Durations.format(plan.duration()), Durations.format(plan.warmup())),
                Math.min(processes, (plan.sessions() + 1) / 2), describe(gateways));
        long rssBefore = gateways.isEmpty() ? 0 : gateways.residentBytes();
        LoadDriver driver = processes > 1 ? new ChildProcessRun(plan, processes, System.err) : new LocalLoadRun(plan);
        Thread stopOnSignal = stopOnSignal(driver);
        try (driver; ProgressTicker ticker = new ProgressTicker(driver::progress, printer(out))) {
            int open = driver.connect();
            ticker.tick();
            if (open == 0) {
                out.println("no session opened: see the errors above");
                return 1;
            }
            GatewayMemory memory = memory(gateways, rssBefore, open);
            CompletableFuture<CpuUse> cpu = measureCpu(ticker, gateways, driver.processes(), plan);
            LoadResult result = driver.run();
            ticker.tick();
            out.print(LoadReport.summary(plan, result, memory, awaitCpu(cpu)));
            out.flush();
            return 0;
        } finally {
            ShutdownHooks.remove(stopOnSignal);
        }
    }

    private int runFanout(FanoutPlan plan) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Gateways gateways = gateways(plan.urls());
        out.printf(Locale.ROOT, "pigeon load: group fan-out, %d members (run %s) against %s, %d messages after %d "
                        + "warm-up, one at a time; %s%n",
                plan.members(), plan.runId(), target(plan.urls()), plan.messages(), plan.warmupMessages(),
                describe(gateways));
        long rssBefore = gateways.isEmpty() ? 0 : gateways.residentBytes();
        FanoutRun run = new FanoutRun(plan);
        Thread stopOnSignal = stopOnSignal(run);
        try (run; ProgressTicker ticker = new ProgressTicker(run::progress, printer(out))) {
            run.createGroup();
            int open = run.connect();
            ticker.tick();
            if (open == 0) {
                out.println("no session opened: see the errors above");
                return 1;
            }
            GatewayMemory memory = memory(gateways, rssBefore, open);
            CpuUse.Sample before = cpuSample(gateways, run.processes());
            FanoutResult result = run.run();
            ticker.tick();
            CpuUse.Sample after = cpuSample(gateways, run.processes());
            out.print(FanoutReport.summary(plan, result, memory,
                    before == null || after == null ? null : after.since(before)));
            out.flush();
            return 0;
        } finally {
            ShutdownHooks.remove(stopOnSignal);
        }
    }

    private Gateways gateways(List<URI> urls) throws IOException {
        return gatewayPids != null ? Gateways.ofPids(gatewayPids) : Gateways.listeningOn(urls);
    }

    private static String target(List<URI> urls) {
        return urls.size() == 1 ? urls.get(0).toString() : urls.size() + " nodes";
    }

    private static String describe(Gateways gateways) {
        return gateways.isEmpty() ? "gateway process not found" : "gateway " + gateways.describe();
    }

    /** The gateways' memory once {@code open} sessions are open, or null when no gateway was found. */
    private static GatewayMemory memory(Gateways gateways, long rssBefore, int open) throws IOException {
        return gateways.isEmpty() ? null
                : new GatewayMemory(gateways.describe(), gateways.size(), rssBefore, gateways.residentBytes(), open);
    }

    /** Prints each progress line stamped with the seconds since now. */
    private static Consumer<Progress> printer(PrintWriter out) {
        long started = System.nanoTime();
        return progress -> out.println(progress.describe((System.nanoTime() - started) / 1e9));
    }

    /** Closes {@code run} on Ctrl-C or SIGTERM, so its sessions end with a close frame. */
    private static Thread stopOnSignal(AutoCloseable run) {
        Thread hook = new Thread(() -> {
            try {
                run.close();
            } catch (Exception e) {
                // the process is ending anyway
            }
        }, "pigeon-load-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** A CPU reading, or null when it could not be taken (an ended gateway, no /proc). */
    private static CpuUse.Sample cpuSample(Gateways gateways, List<LinuxProcess> generator) {
        try {
            return CpuUse.Sample.take(gateways, generator);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Samples CPU when the measured window opens and closes (after the warm-up, unless idle). */
    private static CompletableFuture<CpuUse> measureCpu(ProgressTicker ticker, Gateways gateway,
                                                        List<LinuxProcess> generator, LoadPlan plan) {
        long from = plan.idle() ? 0 : plan.warmup().toNanos();
        CompletableFuture<CpuUse.Sample> start = new CompletableFuture<>();
        CompletableFuture<CpuUse.Sample> end = new CompletableFuture<>();
        ticker.schedule(() -> sample(gateway, generator, start), from);
        ticker.schedule(() -> sample(gateway, generator, end), from + plan.duration().toNanos());
        return start.thenCombine(end, (first, last) -> last.since(first));
    }

    private static void sample(Gateways gateway, List<LinuxProcess> generator,
                               CompletableFuture<CpuUse.Sample> into) {
        try {
            into.complete(CpuUse.Sample.take(gateway, generator));
        } catch (IOException | RuntimeException e) {
            into.completeExceptionally(e);
        }
    }

    /** The CPU use, or null when it could not be read (an ended gateway, no /proc). */
    private static CpuUse awaitCpu(CompletableFuture<CpuUse> cpu) throws InterruptedException {
        try {
            return cpu.get(CPU_SAMPLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** One share of a multi-process run: connect, report ready, wait for "go", run, report the result. */
    private int runAsChild(LoadPlan plan) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalLoadRun run = new LocalLoadRun(plan);
        try (run; ProgressTicker ticker = new ProgressTicker(run::progress, progress -> {
            out.println(LoadLines.progress(progress));
            out.flush();
        })) {
            run.connect();
            ticker.tick();
            String command = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!ChildProcessRun.GO.equals(command)) {
                return 1;
            }
            LoadResult result = run.run();
            ticker.tick();
            ticker.close();
            run.close();
            out.println(LoadLines.result(result));
            out.flush();
            return 0;
        }
    }
}
