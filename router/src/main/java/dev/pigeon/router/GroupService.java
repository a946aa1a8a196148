package dev.pigeon.router;

import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import dev.pigeon.storage.Group;
import dev.pigeon.storage.MessageStore;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Groups as their members manage them; only members may read or change a group. */
final class GroupService implements Groups {
    private final MessageStore store;
    private final StoreCalls calls;
    private final Membership membership;
    private final NodeBus bus;
    private final int maxMembers;

    GroupService(MessageStore store, StoreCalls calls, Membership membership, NodeBus bus, int maxMembers) {
        this.store = store;
        this.calls = calls;
        this.membership = membership;
        this.bus = bus;
        this.maxMembers = maxMembers;
    }

    @Override
    public CompletionStage<Group> create(String user, String group, List<String> members) {
        return Failures.settle(() -> {
            UserId.require(group, "group");
            if (members == null) {
                throw ProtocolException.badRequest("members is missing");
            }
            Set<String> all = new TreeSet<>();
            all.add(user);
            for (String member : members) {
                all.add(UserId.require(member, "member"));
            }
            requireRoomFor(all.size());
            Group created = Group.of(group, all);
            return calls.call(() -> store.createGroup(created)).thenApply(fresh -> {
                if (!fresh) {
                    throw ProtocolException.conflict("group " + group + " exists");
                }
                return created;
            });
        });
    }

    @Override
    public CompletionStage<Group> get(String user, String group) {
        return Failures.settle(() -> membership.requireGroupMember(user, UserId.require(group, "group")));
    }

    @Override
    public CompletionStage<Group> addMember(String user, String group, String member) {
        return Failures.settle(() -> {
            UserId.require(group, "group");
            UserId.require(member, "member");
            return membership.requireGroupMember(user, group).thenCompose(current -> {
                if (current.hasMember(member)) {
                    return CompletableFuture.completedFuture(current);
                }
                requireRoomFor(current.members().size() + 1);
                return changed(group, calls.call(() -> store.addMember(group, member)));
            });
        });
    }

    @Override
    public CompletionStage<Group> removeMember(String user, String group, String member) {
        return Failures.settle(() -> {
            UserId.require(group, "group");
            UserId.require(member, "member");
            return membership.requireGroupMember(user, group)
                    .thenCompose(current -> changed(group, calls.call(() -> store.removeMember(group, member))));
        });
    }

    private void requireRoomFor(int members) {
        if (members > maxMembers) {
            throw ProtocolException.tooLarge("a group has at most " + maxMembers + " members");
        }
    }

    /** Once the store changed the group, every node (this one at once) drops its cached copy. */
    private CompletableFuture<Group> changed(String group, CompletableFuture<Optional<Group>> change) {
        return change.thenApply(result -> {
            Group changed = result.orElseThrow(() -> ProtocolException.notFound("no group " + group));
            membership.forget(group);
            bus.announceGroupChange(group);
            return changed;
        });
    }
}
