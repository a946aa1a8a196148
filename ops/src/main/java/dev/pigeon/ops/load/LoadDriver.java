package dev.pigeon.ops.load;

import java.util.List;

/** Runs a load plan, in this process or spread over child processes. */
interface LoadDriver extends AutoCloseable {

    /** Opens every session at the connect rate; returns how many are open once all have settled. */
    int connect() throws InterruptedException;

    /** Sends for the warm-up and the measurement window (or holds the sessions when idle), then drains. */
    LoadResult run() throws InterruptedException;

    /** The processes generating the load (to measure their CPU use); valid once {@link #connect} began. */
    List<LinuxProcess> processes();

    /** What happened since the previous call; called once a second by one thread. */
    Progress progress();

    /** Stops whatever runs and closes every session and process; safe to call more than once. */
    @Override
    void close();
}
