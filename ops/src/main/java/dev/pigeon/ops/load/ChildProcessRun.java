package dev.pigeon.ops.load;

import dev.pigeon.ops.config.Durations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs a load plan over several child JVMs (one process holds at most about 19,000 sockets here),
 * each running {@link LoadCommand} for its share of whole pairs. Children report on their standard
 * output ({@link LoadLines}); all of them connect first, and only when every one is ready does
 * the parent tell them, on their standard input, to start sending, so their windows line up.
 */
final class ChildProcessRun implements LoadDriver {
    static final String GO = "go";
    /** Starting a JVM, plus the slack every wait gets beyond its own schedule. */
    private static final Duration MARGIN = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final LoadPlan plan;
    private final PrintStream diagnostics;
    private final List<Child> children = new ArrayList<>();
    private boolean closed;

    ChildProcessRun(LoadPlan plan, int processes, PrintStream diagnostics) {
        this.plan = plan;
        this.diagnostics = diagnostics;
        List<LoadPlan> shares = plan.split(processes);
        for (int i = 0; i < shares.size(); i++) {
            children.add(new Child(i + 1, shares.get(i)));
        }
    }

    @Override
    public int connect() throws InterruptedException {
        for (Child child : children) {
            child.start();
        }
        long connectSeconds = (long) Math.ceil(plan.sessions() / plan.connectRate());
        await(CompletableFuture.allOf(children.stream().map(c -> c.ready).toArray(CompletableFuture[]::new)),
                MARGIN.multipliedBy(2).plusSeconds(connectSeconds), "every process to connect its sessions");
        return children.stream().mapToInt(child -> child.ready.join().open()).sum();
    }

    @Override
    public LoadResult run() throws InterruptedException {
        for (Child child : children) {
            child.go();
        }
        List<CompletableFuture<LoadResult>> results = children.stream().map(c -> c.result).toList();
        await(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)),
                plan.warmup().plus(plan.duration()).plus(MARGIN), "every process's result");
        return LoadResult.combine(results.stream().map(CompletableFuture::join).toList());
    }

    /** The children and this process, which reads their reports. */
    @Override
    public List<LinuxProcess> processes() {
        List<LinuxProcess> processes = new ArrayList<>();
        processes.add(new LinuxProcess(ProcessHandle.current().pid()));
        children.forEach(child -> processes.add(new LinuxProcess(child.process.pid())));
        return processes;
    }

    @Override
    public Progress progress() {
        List<Progress> latest = children.stream().map(child -> child.latest).filter(Objects::nonNull).toList();
        return latest.isEmpty()
                ? new Progress(Phase.CONNECTING, 1, plan.sessions(), 0, 0, 0, 0, 0, 0)
                : Progress.combine(latest);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Child child : children) {
            child.stop();
        }
    }

    private static void await(CompletableFuture<?> all, Duration timeout, String what) throws InterruptedException {
        try {
            all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("gave up waiting " + Durations.format(timeout) + " for " + what);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** One child JVM and what it has reported. */
    private final class Child {
        private final int number;
        private final LoadPlan share;
        private final CompletableFuture<Progress> ready = new CompletableFuture<>();
        private final CompletableFuture<LoadResult> result = new CompletableFuture<>();
        private volatile Progress latest;
        private Process process;

        Child(int number, LoadPlan share) {
            this.number = number;
            this.share = share;
        }

        void start() {
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put(LoadCommand.JWT_SECRET_ENV, share.jwtSecret());
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start load process " + number, e);
            }
            Thread reader = new Thread(this::readReports, "pigeon-load-child-" + number);
            reader.setDaemon(true);
            reader.start();
        }

        private List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
            // the same JVM options (heap, GC) as this process, except a debugger's, which would clash on its port
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(argument -> !argument.startsWith("-agentlib:jdwp"))
                    .forEach(command::add);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadCommand.class.getName(),
                    "--child",
                    "--url", share.urls().stream().map(URI::toString).collect(Collectors.joining(",")),
                    "--run-id", share.runId(),
                    "--first-session", Integer.toString(share.firstSession()),
                    "--sessions", Integer.toString(share.sessions()),
                    "--rate", Double.toString(share.rate()),
                    "--duration", share.duration().toMillis() + "ms",
                    "--warmup", share.warmup().toMillis() + "ms",
                    "--body-bytes", Integer.toString(share.bodyBytes()),
                    "--connect-rate", Double.toString(share.connectRate())));
            return command;
        }

        private void readReports() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    accept(line);
                }
            } catch (IOException | IllegalArgumentException e) {
                fail("load process " + number + " sent an unreadable report: " + e.getMessage());
            }
            fail("load process " + number + " ended without a result");
        }

        private void accept(String line) {
            var progress = LoadLines.parseProgress(line);
            if (progress.isPresent()) {
                latest = progress.get();
                if (progress.get().phase() == Phase.READY) {
                    ready.complete(progress.get());
                }
                return;
            }
            var outcome = LoadLines.parseResult(line);
            if (outcome.isPresent()) {
                result.complete(outcome.get());
                return;
            }
            diagnostics.println("[load process " + number + "] " + line);
        }

        private void fail(String why) {
            IllegalStateException failure = new IllegalStateException(why);
            ready.completeExceptionally(failure);
            result.completeExceptionally(failure);
        }

        void go() {
            try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                in.write(GO + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("load process " + number + " is gone", e);
            }
        }

        /** Lets a child that has reported end by itself, and ends one that has not. */
        void stop() {
            if (process == null) {
                return;
            }
            try {
                if (!process.waitFor(result.isDone() ? STOP_TIMEOUT.toMillis() : 0, TimeUnit.MILLISECONDS)) {
                    process.destroy();
                }
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
