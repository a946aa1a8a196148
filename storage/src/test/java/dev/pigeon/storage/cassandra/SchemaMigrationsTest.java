package dev.pigeon.storage.cassandra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigrationsTest {

    @Test
    void scriptsAreNumberedOneByOneFromOne() {
        assertThat(SchemaMigrations.SCRIPTS.stream().map(SchemaMigrations::version).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, SchemaMigrations.SCRIPTS.size()).boxed().toList());
    }

    @Test
    void everyStatementCanRunAgainAfterACrashHalfWay() {
        assertThat(SchemaMigrations.SCRIPTS).allSatisfy(script -> assertThat(SchemaMigrations.statements(script))
                .isNotEmpty()
                .allSatisfy(statement -> assertThat(statement).containsIgnoringCase("IF NOT EXISTS")));
    }

    @Test
    void theFirstScriptCreatesEveryTableWithoutItsComments() {
        List<String> statements = SchemaMigrations.statements("001_initial.cql");

        assertThat(statements).extracting(s -> s.split("\\s+")[5]).containsExactly("conversation_log", "inbox",
                "log_ids", "inbox_ids", "heads", "send_claims", "read_offsets", "delivered_offsets", "groups",
                "user_home");
        assertThat(statements).noneMatch(s -> s.contains("--"));
    }

    @Test
    void aMissingScriptIsAClearError() {
        assertThatThrownBy(() -> SchemaMigrations.statements("999_missing.cql"))
                .hasMessageContaining("999_missing.cql");
    }
}
