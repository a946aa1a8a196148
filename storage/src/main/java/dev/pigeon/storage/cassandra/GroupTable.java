package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.storage.Group;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static java.util.concurrent.CompletableFuture.completedFuture;

/**
 * Groups and their members: created with IF NOT EXISTS, changed by adding to or removing from the
 * member set under IF EXISTS, so a change never brings a missing group into being and concurrent
 * changes are all kept.
 */
final class GroupTable {
    private final CqlSession session;
    private final PartitionLanes lanes;
    private final PreparedStatement insertIfAbsent;
    private final PreparedStatement select;
    private final PreparedStatement addIfExists;
    private final PreparedStatement removeIfExists;

    private GroupTable(CqlSession session, PartitionLanes lanes, List<PreparedStatement> prepared) {
        this.session = session;
        this.lanes = lanes;
        this.insertIfAbsent = prepared.get(0);
        this.select = prepared.get(1);
        this.addIfExists = prepared.get(2);
        this.removeIfExists = prepared.get(3);
    }

    static CompletionStage<GroupTable> prepare(CqlSession session, PartitionLanes lanes) {
        return Statements.prepareAll(session, List.of(
                        "INSERT INTO groups (name, members) VALUES (?, ?) IF NOT EXISTS",
                        "SELECT members FROM groups WHERE name = ?",
                        "UPDATE groups SET members = members + ? WHERE name = ? IF EXISTS",
                        "UPDATE groups SET members = members - ? WHERE name = ? IF EXISTS"))
                .thenApply(prepared -> new GroupTable(session, lanes, prepared));
    }

    CompletionStage<Boolean> create(Group group) {
        return lanes.run(group.name(), () -> session.executeAsync(insertIfAbsent.bind(group.name(),
                Set.copyOf(group.members()))).thenApply(result -> result.wasApplied()));
    }

    CompletionStage<Optional<Group>> get(String name) {
        return session.executeAsync(select.bind(name).setIdempotent(true)).thenApply(result -> {
            Row row = result.one();
            return row == null ? Optional.empty() : Optional.of(new Group(name, List.copyOf(row.getSet(0, String.class))));
        });
    }

    CompletionStage<Optional<Group>> add(String name, String user) {
        return change(addIfExists, name, user);
    }

    CompletionStage<Optional<Group>> remove(String name, String user) {
        return change(removeIfExists, name, user);
    }

    /** Applies the change if the group exists; then the group as it is now. */
    private CompletionStage<Optional<Group>> change(PreparedStatement statement, String name, String user) {
        return lanes.run(name, () -> session.executeAsync(statement.bind(Set.of(user), name))
                .thenCompose(result -> result.wasApplied() ? get(name) : completedFuture(Optional.empty())));
    }
}
