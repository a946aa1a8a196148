package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.pigeon.protocol.LogEntry;

/**
 * Binds values by name to the variables a statement has, skipping the others, so that one way of
 * binding an entry serves every statement of both sequenced tables. A later value of a name
 * replaces an earlier one.
 */
final class Binding {
    private final ColumnDefinitions variables;
    private BoundStatementBuilder builder;

    private Binding(PreparedStatement statement) {
        this.variables = statement.getVariableDefinitions();
        this.builder = statement.boundStatementBuilder();
    }

    static Binding of(PreparedStatement statement) {
        return new Binding(statement);
    }

    /** A null value is left unset: an insert then writes no cell (and no tombstone) for it. */
    Binding text(String name, String value) {
        if (value != null && variables.contains(name)) {
            builder = builder.setString(name, value);
        }
        return this;
    }

    Binding number(String name, long value) {
        if (variables.contains(name)) {
            builder = builder.setLong(name, value);
        }
        return this;
    }

    Binding limit(int value) {
        builder = builder.setInt("max_rows", value);
        return this;
    }

    Binding entry(LogEntry entry) {
        return text("conversation", entry.conversation())
                .number("conv_seq", entry.convSeq())
                .text("sender", entry.from())
                .text("client_id", entry.id())
                .text("body", entry.body())
                .text("format", entry.format())
                .number("ts", entry.ts());
    }

    Binding key(SlotKey key) {
        return text("conversation", key.conversation())
                .number("conv_seq", key.convSeq())
                .text("sender", key.sender())
                .text("client_id", key.clientId());
    }

    BoundStatement build() {
        return builder.build();
    }
}
