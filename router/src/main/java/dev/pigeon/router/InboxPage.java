package dev.pigeon.router;

import dev.pigeon.storage.InboxEntry;

import java.util.List;

/** A slice of an inbox and the inbox head at the time it was read. */
public record InboxPage(List<InboxEntry> messages, long head) {
    public InboxPage {
        messages = List.copyOf(messages);
    }
}
