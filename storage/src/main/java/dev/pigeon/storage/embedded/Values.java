package dev.pigeon.storage.embedded;

import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.SendClaim;
import dev.pigeon.storage.StoredHome;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of each value. Every record starts with a format version byte; fields that the
 * key already holds (a claim's sender and client id, a group's name) are not repeated.
 */
final class Values {
    private static final int VERSION = 1;
    private static final int ENTRY_OVERHEAD = 48;

    private Values() {
    }

    static byte[] entry(LogEntry entry) {
        return new ValueWriter(VERSION, entry.body().length() + ENTRY_OVERHEAD)
                .text(entry.conversation())
                .signed(entry.convSeq())
                .text(entry.from())
                .text(entry.id())
                .text(entry.body())
                .optionalText(entry.format())
                .signed(entry.ts())
                .bytes();
    }

    static LogEntry entry(byte[] value) {
        ValueReader in = new ValueReader(value, VERSION);
        return new LogEntry(in.text(), in.signed(), in.text(), in.text(), in.text(), in.optionalText(), in.signed());
    }

    static byte[] claim(SendClaim claim) {
        return new ValueWriter(VERSION, ENTRY_OVERHEAD)
                .text(claim.conversation())
                .text(claim.bodyDigest())
                .bytes();
    }

    static SendClaim claim(String sender, String clientId, byte[] value) {
        ValueReader in = new ValueReader(value, VERSION);
        return new SendClaim(sender, clientId, in.text(), in.text());
    }

    static byte[] members(Group group) {
        ValueWriter out = new ValueWriter(VERSION, group.members().size() * 16 + 8).unsigned(group.members().size());
        group.members().forEach(out::text);
        return out.bytes();
    }

    static Group group(String name, byte[] value) {
        ValueReader in = new ValueReader(value, VERSION);
        long count = in.unsigned();
        List<String> members = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            members.add(in.text());
        }
        return new Group(name, members);
    }

    /** Region, epoch, then where it is moving to (absent from homes stored before moves could be marked). */
    static byte[] home(StoredHome home) {
        return new ValueWriter(VERSION, home.region().length() + 12).text(home.region()).unsigned(home.epoch())
                .optionalText(home.movingTo()).bytes();
    }

    static StoredHome home(byte[] value) {
        ValueReader in = new ValueReader(value, VERSION);
        return new StoredHome(in.text(), in.unsigned(), in.atEnd() ? null : in.optionalText());
    }

    static byte[] homeKey(HomeKey key) {
        return new ValueWriter(VERSION, key.id().length() + 16).text(key.kind().name()).text(key.id()).bytes();
    }

    static HomeKey homeKey(byte[] value) {
        ValueReader in = new ValueReader(value, VERSION);
        return new HomeKey(HomeStore.Kind.valueOf(in.text()), in.text());
    }
}
