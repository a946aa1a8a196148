package dev.pigeon.ops.load;

import dev.pigeon.ops.ClientTokens;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a group fan-out in this process: creates the group, connects every member, then member
 * {@link FanoutPlan#SENDER} sends the messages one at a time while every member's session counts
 * what it gets.
 */
final class FanoutRun implements AutoCloseable {
    /** How long sessions may take to settle after the last one started connecting. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long one message may take to be acknowledged and reach every member before the next is sent. */
    static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    /** How long the sessions stay open after the last message settled, so that late repeats are counted. */
    private static final Duration QUIET_AFTER = Duration.ofSeconds(1);

    private final FanoutPlan plan;
    private final LoadStats stats;
    private final FanoutTally tally;
    private final LoadClient client = new LoadClient();
    private final List<FanoutMember> members;
    private final String senderToken;
    private final CountDownLatch settled;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Pacer connectPacer;

    private volatile Phase phase = Phase.CONNECTING;
    private boolean closed;

    FanoutRun(FanoutPlan plan) {
        this.plan = plan;
        this.stats = new LoadStats(plan.members());
        this.tally = new FanoutTally(plan.members(), plan.totalMessages(), plan.warmupMessages(), FanoutPlan.SENDER);
        this.settled = new CountDownLatch(plan.members());
        this.connectPacer = new Pacer(new FixedRateSchedule(plan.connectRate(), plan.members()), Pacer.SYSTEM);
        // the tokens must outlive connecting and every message waiting its longest
        Duration tokenLifetime = Duration.ofHours(1)
                .plusSeconds((long) (plan.members() / plan.connectRate()))
                .plus(plan.interval().plus(MESSAGE_TIMEOUT).multipliedBy(plan.totalMessages()));
        ClientTokens tokens = new ClientTokens(plan.jwtSecret(), tokenLifetime, Clock.systemUTC());
        SendFrame sends = new SendFrame(plan.conversation(), new MessageBody(plan.bodyBytes()), stats);
        this.members = new ArrayList<>(plan.members());
        for (int m = 0; m < plan.members(); m++) {
            String user = plan.userId(m);
            members.add(new FanoutMember(m, user, tokens.mint(user), plan.url(m), sends, tally, stats,
                    settled::countDown));
        }
        this.senderToken = tokens.mint(plan.userId(FanoutPlan.SENDER));
    }

    /** Creates the group through the sender's gateway; fails when the server does not take all the members. */
    void createGroup() throws IOException, InterruptedException {
        List<String> created = GroupCreator.create(plan.url(FanoutPlan.SENDER), senderToken, plan.group(),
                plan.invitees());
        if (created.size() != plan.members()) {
            throw new IllegalStateException("group " + plan.group() + " was created with " + created.size()
                    + " members, not " + plan.members());
        }
    }

    /** Opens every member's session at the connect rate; returns how many are open once all have settled. */
    int connect() throws InterruptedException {
        phase = Phase.CONNECTING;
        connectPacer.run(System.nanoTime(), Long.MAX_VALUE, members.size(),
                (index, slot, due) -> members.get(slot).connect(client));
        settled.await(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        phase = Phase.READY;
        return stats.open();
    }

    /** Sends every message, one at a time, then lets late copies arrive. */
    FanoutResult run() throws InterruptedException {
        FanoutMember sender = members.get(FanoutPlan.SENDER);
        if (!sender.isOpen()) {
            throw new IllegalStateException("the sending member " + sender.user() + " is not connected");
        }
        long previous = System.nanoTime() - plan.interval().toNanos();
        for (int i = 0; i < plan.totalMessages(); i++) {
            phase = i < plan.warmupMessages() ? Phase.WARMING_UP : Phase.MEASURING;
            long wait = previous + plan.interval().toNanos() - System.nanoTime();
            if (wait > 0 && stopped.await(wait, TimeUnit.NANOSECONDS)) {
                break;
            }
            if (!sender.isOpen()) {
                stats.error("sender_disconnected", () -> sender.user() + " lost its session: sending stopped");
                break;
            }
            long now = System.nanoTime();
            tally.sent(i, now);
            sender.send(i, now);
            previous = now;
            awaitSettled(i);
        }
        phase = Phase.DRAINING;
        stopped.await(QUIET_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        phase = Phase.DONE;
        LoadResult counters = stats.result();
        return new FanoutResult(plan.members(), counters.opened(), tally.times(),
                tally.check(m -> members.get(m).heldThroughout()), counters.errors(), counters.disconnects());
    }

    /** Waits for one message; one that never settles is left behind (the report counts it) after the timeout. */
    private void awaitSettled(int message) throws InterruptedException {
        try {
            tally.settled(message).get(MESSAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stats.error("message_timeout", () -> "message " + message + " did not reach every member within "
                    + MESSAGE_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("message " + message + " failed to settle", e.getCause());
        }
    }

    /** The processes generating the load: this one. */
    List<LinuxProcess> processes() {
        return List.of(new LinuxProcess(ProcessHandle.current().pid()));
    }

    /** What happened since the previous call; called once a second by one thread. */
    Progress progress() {
        return stats.progress(phase);
    }

    /** Stops sending and closes every session; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped.countDown();
        connectPacer.stop();
        members.forEach(FanoutMember::ending);
        client.close();
    }
}
