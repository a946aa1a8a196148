package dev.pigeon.storage;

/** A message before the log gives it a {@code conv_seq}; {@code format} is null for text. */
public record MessageDraft(String conversation, String from, String id, String body, String format, long ts) {
}
