package dev.pigeon.ops.config;

/**
 * How the text of one kind of setting is read and written back. {@link #parse} throws
 * {@link IllegalArgumentException} with a message saying what a good value looks like.
 */
public interface ValueType<T> {

    T parse(String text);

    /** The text that {@link #parse} reads back as {@code value}. */
    String format(T value);

    /** What a value looks like, for help texts: {@code <duration>}, {@code <port>}... */
    String label();
}
