package dev.pigeon.ops.load;

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

/**
 * {@code pigeon load}: a load generator speaking PROTOCOL.md over WebSocket to one running gateway.
 * Sessions chat in pairs at a fixed total rate, open loop, and the receiver of each message
 * records its latency from the time the send was scheduled. Bounded: it stops by itself after
 * the warm-up and the measured duration.
 */
@Command(name = "load", sortOptions = false,
        description = {
                "Generates chat load against a running Pigeon gateway over WebSocket (pigeon.v1.json).",
                "Sessions are paired (users 2k and 2k+1) and chat in their dm: conversation at a fixed total "
                        + "rate; latency is measured from each message's scheduled send time to its delivery.",
                "Prints progress every second, then sessions, rates, p50/p99/p99.9/max latency, errors, the "
                        + "gateway's resident memory per session and the machine's CPU use."})
public final class LoadCommand implements Callable<Integer> {
    static final String JWT_SECRET_ENV = "PIGEON_JWT_SECRET";
    private static final Duration LONGEST_RUN = Duration.ofHours(1);
    private static final int LARGEST_BODY = 64 * 1024;
    private static final long CPU_SAMPLE_WAIT_MILLIS = 2_000;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/v1/ws",
            description = "WebSocket endpoint of the gateway (default: ${DEFAULT-VALUE}).")
    private URI url;

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

    @Option(names = "--gateway-pid",
            description = "Process id of the gateway, to read its memory and CPU; default: the process listening "
                    + "on the URL's port.")
    private Long gatewayPid;

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
        LoadPlan plan = plan();
        return child ? runAsChild(plan) : runAsParent(plan);
    }

    private LoadPlan plan() {
        if (processes < 1) {
            throw new ParameterException(spec.commandLine(), "--processes must be at least 1");
        }
        if (duration.isZero() || duration.compareTo(LONGEST_RUN) > 0 || warmup.compareTo(LONGEST_RUN) > 0) {
            throw new ParameterException(spec.commandLine(),
                    "--duration must be between 1ms and 1h, --warmup at most 1h: a load run is bounded");
        }
        if (bodyBytes < 0 || bodyBytes > LARGEST_BODY) {
            throw new ParameterException(spec.commandLine(), "--body-bytes must be between 0 and " + LARGEST_BODY);
        }
        String secret = jwtSecret != null ? jwtSecret
                : System.getenv().getOrDefault(JWT_SECRET_ENV, PigeonConfig.DEMO_JWT_SECRET);
        String run = runId != null ? runId : Long.toString(System.currentTimeMillis(), 36);
        try {
            return new LoadPlan(url, run, firstSession, sessions, rate, duration, warmup, bodyBytes, connectRate, secret);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int runAsParent(LoadPlan plan) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LinuxProcess gateway = gatewayPid != null ? new LinuxProcess(gatewayPid)
                : LinuxProcess.listeningOn(port(plan.url())).orElse(null);
        out.printf(Locale.ROOT, "pigeon load: %d sessions (run %s) against %s, %s, %d process(es); gateway %s%n",
                plan.sessions(), plan.runId(), plan.url(),
                plan.idle() ? "idle" : String.format(Locale.ROOT, "%.0f msg/s for %s after %s warm-up", plan.rate(),
                        Durations.format(plan.duration()), Durations.format(plan.warmup())),
                Math.min(processes, (plan.sessions() + 1) / 2),
                gateway == null ? "process not found" : "pid " + gateway.pid());
        long rssBefore = gateway == null ? 0 : gateway.residentBytes();
        LoadDriver driver = processes > 1 ? new ChildProcessRun(plan, processes, System.err) : new LocalLoadRun(plan);
        Thread stopOnSignal = new Thread(driver::close, "pigeon-load-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        long started = System.nanoTime();
        try (driver; ProgressTicker ticker = new ProgressTicker(driver,
                progress -> out.println(progress.describe((System.nanoTime() - started) / 1e9)))) {
            int open = driver.connect();
            ticker.tick();
            if (open == 0) {
                out.println("no session opened: see the errors above");
                return 1;
            }
            GatewayMemory memory = gateway == null ? null
                    : new GatewayMemory(gateway.pid(), rssBefore, gateway.residentBytes(), open);
            CompletableFuture<CpuUse> cpu = measureCpu(ticker, gateway, driver.processes(), plan);
            LoadResult result = driver.run();
            ticker.tick();
            out.print(LoadReport.summary(plan, result, memory, awaitCpu(cpu)));
            out.flush();
            return 0;
        } finally {
            removeShutdownHook(stopOnSignal);
        }
    }

    /** Samples CPU when the measured window opens and closes (after the warm-up, unless idle). */
    private static CompletableFuture<CpuUse> measureCpu(ProgressTicker ticker, LinuxProcess gateway,
                                                        List<LinuxProcess> generator, LoadPlan plan) {
        long from = plan.idle() ? 0 : plan.warmup().toNanos();
        CompletableFuture<CpuUse.Sample> start = new CompletableFuture<>();
        CompletableFuture<CpuUse.Sample> end = new CompletableFuture<>();
        ticker.schedule(() -> sample(gateway, generator, start), from);
        ticker.schedule(() -> sample(gateway, generator, end), from + plan.duration().toNanos());
        return start.thenCombine(end, (first, last) -> last.since(first));
    }

    private static void sample(LinuxProcess gateway, List<LinuxProcess> generator,
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
        try (run; ProgressTicker ticker = new ProgressTicker(run, progress -> {
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

    private static int port(URI url) {
        return url.getPort() < 0 ? 80 : url.getPort();
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }

    /** Reads {@code 30s}, {@code 500ms}, {@code 2m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
