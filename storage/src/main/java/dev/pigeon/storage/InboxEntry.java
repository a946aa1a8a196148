package dev.pigeon.storage;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;

/** One entry of a user's inbox: a log entry at the user's position {@code seq}. */
public record InboxEntry(long seq, LogEntry entry) {

    public Frame.Msg toMsg() {
        return entry.toMsg(seq);
    }
}
