package dev.pigeon.ops;

/** Shutdown hooks of commands that stop on a signal but may also end by themselves. */
public final class ShutdownHooks {
    private ShutdownHooks() {
    }

    /** Removes {@code hook}; while the JVM is already shutting down the hook is running, and stays. */
    public static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }
}
