package dev.pigeon.router;

/** A session attached through {@link Router#connect}; closing it detaches the session. */
public interface SessionRegistration extends AutoCloseable {

    /** Marks the session as seen now (its presence entry is refreshed). */
    void touch();

    @Override
    void close();
}
