package dev.pigeon.router;

import dev.pigeon.storage.Group;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Group management on behalf of a user: only members may read or change a group. Failures carry
 * {@code bad_request}, {@code forbidden}, {@code not_found} or {@code conflict}.
 */
public interface Groups {

    /** Creates a group whose members are {@code members} plus the caller. */
    CompletionStage<Group> create(String user, String group, List<String> members);

    CompletionStage<Group> get(String user, String group);

    CompletionStage<Group> addMember(String user, String group, String member);

    CompletionStage<Group> removeMember(String user, String group, String member);
}
