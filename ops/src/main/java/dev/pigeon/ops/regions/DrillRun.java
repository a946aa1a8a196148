package dev.pigeon.ops.regions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.ops.ClientTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One drill against a started deployment, phase by phase: connect every user to its home region,
 * create the group, send at the plan's rate, lose the region (its users move to the survivor),
 * declare the failover and count what is at risk, keep the load going to the end, bring the region
 * back and reconcile, then let everything settle and check every acknowledged message. Prints each
 * phase as it happens, and progress every few seconds.
 */
final class DrillRun {
    private static final Logger log = LoggerFactory.getLogger(DrillRun.class);
    private static final long TICK_MS = 100;
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(60);
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(60);
    private static final Duration FAILOVER_WAIT = Duration.ofMinutes(2);
    private static final Duration RECONCILE_WAIT = Duration.ofMinutes(3);
    private static final Duration ACK_WAIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration SETTLE_POLL = Duration.ofSeconds(2);
    private static final long PROGRESS_EVERY_MS = 5_000;

    /** When the failover was asked for and answered, on the drill's clock, and the answer. */
    private record Failover(JsonNode answer, long askedMs, long answeredMs) {
    }

    private final DrillPlan plan;
    private final DrillTarget target;
    private final PrintWriter out;
    private final String lost;
    private final String survivor;
    private final DrillCast cast;
    private final Map<String, String> tokens;
    private final DrillHttp http;
    private final DrillReadBack readBack;
    private final DrillAdmin admin;
    private final DrillTally tally = new DrillTally();
    private final List<DrillUser> users = new ArrayList<>();
    private final List<DrillUser> lostUsers;
    /** Runs the sessions' upkeep, the sends and the progress lines, one at a time. */
    private final ScheduledExecutorService ticker;
    private final long origin = System.nanoTime();
    private final LongSupplier clock = () -> (System.nanoTime() - origin) / 1_000_000;
    private final Map<String, Long> timeline = new LinkedHashMap<>();
    /** When the load started on {@link #clock}; -1 before. */
    private long loadStartMs = -1;

    /** @param target a started deployment */
    DrillRun(DrillPlan plan, DrillTarget target, PrintWriter out) {
        this.plan = plan;
        this.target = target;
        this.out = out;
        this.lost = plan.lose();
        this.survivor = plan.survivor(target.regions());
        this.cast = DrillCast.of(plan.runId(), plan.pairs(), lost, survivor);
        ClientTokens signer = new ClientTokens(target.jwtSecret(), plan.duration().plus(Duration.ofHours(2)),
                Clock.systemUTC());
        this.tokens = cast.users().stream()
                .collect(Collectors.toMap(DrillCast.User::name, user -> signer.mint(user.name())));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.http = new DrillHttp(client, DrillHttp.LARGEST_PAGE);
        this.readBack = new DrillReadBack(http, target.nodes(survivor), tokens::get);
        this.admin = new DrillAdmin(http, target.nodes(survivor), target.adminToken());
        for (int i = 0; i < cast.users().size(); i++) {
            DrillCast.User user = cast.users().get(i);
            users.add(new DrillUser(user, tokens.get(user.name()), user.inGroup() ? cast.groupConversation() : null,
                    spread(target.nodes(user.home()), i), client, tally, clock));
        }
        this.lostUsers = users.stream().filter(user -> user.home().equals(lost)).toList();
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pigeon-drill");
            thread.setDaemon(true);
            return thread;
        });
    }

    DrillReport run() throws IOException, InterruptedException {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try {
            connect();
            createGroup();
            ScheduledFuture<?> load = startLoad();
            boolean cut = !plan.cutReplication().isZero();
            if (cut) {
                DrillWait.reach(clock, loadStartMs + plan.lossAt().toMillis() - plan.cutReplication().toMillis());
                cutReplication();
            }
            DrillWait.reach(clock, loadStartMs + plan.lossAt().toMillis());
            long lossAtMs = loseRegion();
            if (cut) {
                restoreReplication();
            }
            Failover failover = failOver();
            long atRisk = DrillCheck.atRisk(tally.ackedBefore(lossAtMs), readBack.histories(cast.conversations()));
            mark("at_risk_read");
            say("%d messages acked before the loss are not visible through %s", atRisk, survivor);
            DrillWait.reach(clock, loadStartMs + plan.duration().toMillis());
            load.cancel(false);
            mark("load_stopped");
            JsonNode reconcile = restore();
            DrillCheckResult check = settle();
            mark("checked");
            return report(startedAt, lossAtMs, failover, atRisk, reconcile, check);
        } finally {
            ticker.shutdownNow();
            users.forEach(DrillUser::stop);
        }
    }

    /** Every user opens a session to a node of its home region: its first contact, which homes it there. */
    private void connect() throws InterruptedException {
        ticker.scheduleAtFixedRate(guarded("session upkeep", () -> users.forEach(DrillUser::pump)),
                0, TICK_MS, TimeUnit.MILLISECONDS);
        say("connecting %d users, each to a node of its home region", users.size());
        if (!DrillWait.until(() -> users.stream().allMatch(DrillUser::isOpen), CONNECT_WAIT, POLL)) {
            throw new IllegalStateException(users.stream().filter(user -> !user.isOpen()).count()
                    + " users could not open a session within " + CONNECT_WAIT.toSeconds() + " s");
        }
        List<String> mismatches = tally.homeMismatches();
        say("every user connected; %s", mismatches.isEmpty() ? "each homed in the region it first connected to"
                : mismatches.size() + " homed elsewhere: " + String.join("; ", mismatches));
    }

    private void createGroup() throws IOException, InterruptedException {
        DrillCast.User creator = cast.user(cast.groupCreator());
        List<String> members = http.createGroup(target.nodes(creator.home()).get(0), tokens.get(creator.name()),
                cast.group(), cast.groupMembers());
        say("group %s created by %s (homed in %s), members %s", cast.groupConversation(), creator.name(),
                creator.home(), members);
    }

    /** Sends at the plan's total rate, the users taking turns; returns the schedule, to cancel. */
    private ScheduledFuture<?> startLoad() {
        loadStartMs = clock.getAsLong();
        mark("load_started");
        AtomicLong turn = new AtomicLong();
        ScheduledFuture<?> load = ticker.scheduleAtFixedRate(
                guarded("sending", () -> users.get((int) (turn.getAndIncrement() % users.size())).sendNext()),
                0, Math.round(1e9 / plan.rate()), TimeUnit.NANOSECONDS);
        ticker.scheduleAtFixedRate(guarded("progress", this::progress), PROGRESS_EVERY_MS, PROGRESS_EVERY_MS,
                TimeUnit.MILLISECONDS);
        say("sending %.0f msg/s across %d users for %d s; losing %s at %d s", plan.rate(), users.size(),
                plan.duration().toSeconds(), lost, plan.lossAt().toSeconds());
        return load;
    }

    /**
     * Loses the region whole: kills its nodes, stops its data centre and its Redis. The loss counts
     * from when all of it is down (stopping Cassandra cleanly takes seconds here; a real region is
     * gone at once); nothing of the region acknowledges anything after the kill. Then waits for its
     * users to reconnect to the survivor, where they were pointed, and returns when the loss counts from.
     */
    private long loseRegion() throws InterruptedException {
        List<NodeEndpoints> survivorNodes = target.nodes(survivor);
        for (int i = 0; i < lostUsers.size(); i++) {
            lostUsers.get(i).pointAt(spread(survivorNodes, i));
        }
        mark("nodes_killed");
        target.killNodes(lost);
        say("LOSS: killed the nodes of %s", lost);
        target.stopDatacenter(lost);
        target.stopRedis(lost);
        long lossAtMs = mark("loss");
        say("stopped the Cassandra data centre and the Redis of %s: the region is lost", lost);
        boolean moved = DrillWait.until(() -> lostUsers.stream().allMatch(user -> user.openIn(survivor)),
                RECONNECT_WAIT, POLL);
        if (moved) {
            mark("users_reconnected");
        }
        say("%s users of %s reconnected to %s", moved ? "all " + lostUsers.size() : "not all", lost, survivor);
        return lossAtMs;
    }

    /** Takes the survivor's data centre down: from now on the lost region's acknowledgements stay there alone. */
    private void cutReplication() {
        mark("replication_cut");
        target.stopDatacenter(survivor);
        say("CUT: stopped the Cassandra data centre of %s; what %s acknowledges now is at risk", survivor, lost);
    }

    private void restoreReplication() {
        target.startDatacenter(survivor);
        mark("replication_restored");
        say("started the Cassandra data centre of %s again", survivor);
    }

    private Failover failOver() throws InterruptedException {
        long askedMs = mark("failover_asked");
        JsonNode answer = admin.failover(lost, FAILOVER_WAIT);
        long answeredMs = mark("failover_answered");
        say("failover of %s answered after %d ms: %s", lost, answeredMs - askedMs, answer);
        return new Failover(answer, askedMs, answeredMs);
    }

    /** Brings the region's data centre, Redis and nodes back, then reconciles it; returns reconciliation's answer. */
    private JsonNode restore() throws InterruptedException {
        say("load stopped; bringing %s back", lost);
        target.startDatacenter(lost);
        target.startRedis(lost);
        target.startNodes(lost);
        mark("region_back");
        say("%s is back: reconciling", lost);
        JsonNode reconcile = admin.reconcile(lost, RECONCILE_WAIT);
        mark("reconcile_answered");
        say("reconciliation of %s answered: %s", lost, reconcile);
        return reconcile;
    }

    /**
     * Lets the last retries get their answers, ends the sessions, then reads everything back through
     * the survivor until every acknowledged message shows everywhere it belongs, or
     * {@link #SETTLE_WAIT} has passed; the last reading is the verdict.
     */
    private DrillCheckResult settle() throws InterruptedException {
        DrillWait.until(() -> users.stream().allMatch(user -> user.unacked() == 0), ACK_WAIT, POLL);
        say("%d messages still unacknowledged (waited up to %d s); reading everything back through %s",
                unacked(), ACK_WAIT.toSeconds(), survivor);
        users.forEach(DrillUser::stop);
        List<String> names = cast.users().stream().map(DrillCast.User::name).toList();
        Map<String, List<String>> conversations = cast.conversations();
        List<DrillAck> acked = tally.acked();
        AtomicReference<DrillCheckResult> last = new AtomicReference<>();
        DrillWait.until(() -> {
            try {
                DrillReadBack.Snapshot snapshot = readBack.all(conversations, names);
                last.set(DrillCheck.check(acked, conversations, snapshot.histories(), snapshot.inboxes()));
                return last.get().lost() == 0;
            } catch (IOException e) {
                log.info("reading back through {} failed, trying again: {}", survivor, e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }, SETTLE_WAIT, SETTLE_POLL);
        if (last.get() == null) {
            throw new IllegalStateException("could not read the conversations and inboxes back through " + survivor
                    + " within " + SETTLE_WAIT.toSeconds() + " s");
        }
        return last.get();
    }

    private DrillReport report(Instant startedAt, long lossAtMs, Failover failover, long atRisk, JsonNode reconcile,
                               DrillCheckResult check) {
        DrillRto rto = tally.rto(lossAtMs, survivor, lostUsers.stream().map(DrillUser::name).toList());
        return new DrillReport(startedAt.toString(), lost, survivor, users.size(), plan.pairs(), cast.groupMembers(),
                plan.rate(), plan.duration().toMillis() / 1000.0, (lossAtMs - loadStartMs) / 1000.0,
                tally.ackedCount(), unacked(), tally.received(), tally.receivedDistinct(), rto.rtoMs(), rto.byUser(),
                rto.unrecovered(), atRisk, failover.answeredMs() - failover.askedMs(),
                failover.answeredMs() - lossAtMs, failover.answer(), DrillReconcile.of(reconcile), check,
                tally.homeMismatches(), tally.retries(), tally.errors(), tally.disconnects(),
                Collections.unmodifiableMap(new LinkedHashMap<>(timeline)));
    }

    private int unacked() {
        return users.stream().mapToInt(DrillUser::unacked).sum();
    }

    /** {@code nodes} rotated by {@code i}: users spread over a region's nodes. */
    private static List<NodeEndpoints> spread(List<NodeEndpoints> nodes, int i) {
        List<NodeEndpoints> rotated = new ArrayList<>(nodes);
        Collections.rotate(rotated, -(i % Math.max(1, nodes.size())));
        return rotated;
    }

    /** Notes when {@code phase} happened, in the report's timeline; returns the time on the drill's clock. */
    private long mark(String phase) {
        long now = clock.getAsLong();
        timeline.put(phase, now - loadStartMs);
        return now;
    }

    private void progress() {
        Map<String, Long> open = users.stream().filter(DrillUser::isOpen)
                .collect(Collectors.groupingBy(DrillUser::home, TreeMap::new, Collectors.counting()));
        say("acked %d, unacked %d, received %d; sessions open %d of %d (by home %s)", tally.ackedCount(), unacked(),
                tally.received(), open.values().stream().mapToLong(Long::longValue).sum(), users.size(), open);
    }

    private synchronized void say(String format, Object... args) {
        double seconds = loadStartMs < 0 ? 0 : (clock.getAsLong() - loadStartMs) / 1000.0;
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** A scheduled task that logs a failure instead of silently ending its schedule. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("drill {} failed", what, e);
            }
        };
    }
}
