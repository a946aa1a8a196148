package dev.pigeon.router;

import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.MessageStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who belongs to a conversation: a direct one's members are in its id, a group's are in the store.
 *
 * <p>Groups are read on every send to them, and change rarely, so this node keeps the groups it
 * read for up to {@code groupCacheTtl}. A change made anywhere drops the group here at once
 * ({@link #forget}, called for this node's changes and for every node's through the bus); the
 * time limit only bounds how long a change whose announcement the bus lost goes unseen.
 */
final class Membership {
    private static final int CACHED_GROUPS = 10_000;

    private final MessageStore store;
    private final StoreCalls calls;
    private final Clock clock;
    private final long groupCacheTtlMillis;
    private final BoundedMap<String, Cached> groups = new BoundedMap<>(CACHED_GROUPS);
    /** Counts forgets, so a read that was under way during one does not cache what it found. */
    private final AtomicLong forgets = new AtomicLong();

    private record Cached(Group group, long readAt) {
    }

    Membership(MessageStore store, StoreCalls calls, Clock clock, Duration groupCacheTtl) {
        this.store = store;
        this.calls = calls;
        this.clock = clock;
        this.groupCacheTtlMillis = groupCacheTtl.toMillis();
    }

    CompletableFuture<List<String>> members(ConversationId conversation) {
        if (conversation.isDirect()) {
            return CompletableFuture.completedFuture(conversation.directMembers());
        }
        return group(conversation.group()).thenApply(Group::members);
    }

    /** The members, once {@code user} is known to be one of them ({@code forbidden} otherwise). */
    CompletableFuture<List<String>> requireMember(String user, ConversationId conversation) {
        return members(conversation).thenApply(members -> {
            if (!members.contains(user)) {
                throw ProtocolException.forbidden("not a member of " + conversation);
            }
            return members;
        });
    }

    /** The group of that name ({@code not_found} when there is none). */
    CompletableFuture<Group> group(String name) {
        long now = clock.millis();
        Cached cached = groups.get(name);
        if (cached != null && now - cached.readAt() < groupCacheTtlMillis) {
            return CompletableFuture.completedFuture(cached.group());
        }
        long forgetsBefore = forgets.get();
        return calls.call(() -> store.group(name)).thenApply(found -> {
            Group group = found.orElseThrow(() -> ProtocolException.notFound("no group " + name));
            if (forgets.get() == forgetsBefore) {
                groups.put(name, new Cached(group, now));
                // a forget between the check and the put would otherwise leave the old members cached
                if (forgets.get() != forgetsBefore) {
                    groups.remove(name);
                }
            }
            return group;
        });
    }

    /** Drops the cached copy of a group whose members changed. */
    void forget(String group) {
        forgets.incrementAndGet();
        groups.remove(group);
    }

    /** The group, once {@code user} is known to be a member ({@code forbidden} otherwise). */
    CompletableFuture<Group> requireGroupMember(String user, String name) {
        return group(name).thenApply(group -> {
            if (!group.hasMember(user)) {
                throw ProtocolException.forbidden("not a member of group " + name);
            }
            return group;
        });
    }
}
