package dev.pigeon.router;

import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.MessageStore;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Who belongs to a conversation: a direct one's members are in its id, a group's are in the store. */
final class Membership {
    private final MessageStore store;
    private final StoreCalls calls;

    Membership(MessageStore store, StoreCalls calls) {
        this.store = store;
        this.calls = calls;
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
        return calls.call(() -> store.group(name))
                .thenApply(group -> group.orElseThrow(() -> ProtocolException.notFound("no group " + name)));
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
