package dev.pigeon.storage;

/** A user or conversation and its home, as listed by {@link HomeStore#homedIn}. */
public record HomedId(HomeStore.Kind kind, String id, StoredHome home) {
}
