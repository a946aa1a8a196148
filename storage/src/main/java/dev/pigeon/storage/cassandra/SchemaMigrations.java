package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.pigeon.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings a keyspace's schema up to date at start: the numbered CQL scripts in
 * {@code dev/pigeon/storage/cassandra/migrations} run in order, each once, and
 * {@code schema_migrations} records the ones applied.
 *
 * <p>Concurrent schema changes of one table from several coordinators can leave the cluster with
 * two versions of it, so whoever finds a script missing first takes a lease in {@code schema_lock}
 * (a lightweight transaction with a TTL, which a crashed holder cannot keep) and the others wait
 * for it. A crash half way through a script runs it again: every statement says IF NOT EXISTS.
 * Each change waits for schema agreement before the next one.
 */
final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    /** In order; the number before the underscore is the version. */
    static final List<String> SCRIPTS = List.of("001_initial.cql", "002_fan_out_marks.cql", "003_homes.cql",
            "004_regions.cql");
    private static final String LOCATION = "/dev/pigeon/storage/cassandra/migrations/";
    private static final int LEASE_SECONDS = 120;
    private static final Duration LEASE_POLL = Duration.ofMillis(250);

    private final CqlSession session;
    private final Duration timeout;

    SchemaMigrations(CqlSession session, Duration timeout) {
        this.session = session;
        this.timeout = timeout;
    }

    /** Creates the keyspace when missing; run on a session without a keyspace. */
    static void createKeyspace(CqlSession session, CassandraStoreOptions options) {
        new SchemaMigrations(session, options.schemaTimeout()).change("CREATE KEYSPACE IF NOT EXISTS "
                + options.keyspace() + " WITH replication = " + options.replication().toCql());
    }

    /** Applies every script not applied yet; run on a session of the keyspace. */
    void apply() {
        change("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, script text, applied_at timestamp)");
        change("CREATE TABLE IF NOT EXISTS schema_lock (name text PRIMARY KEY, holder uuid)");
        if (pending().isEmpty()) {
            return;
        }
        UUID holder = UUID.randomUUID();
        acquireLease(holder);
        try {
            for (String script : pending()) {
                Instant began = Instant.now();
                statements(script).forEach(this::change);
                session.execute(SimpleStatement.newInstance(
                        "INSERT INTO schema_migrations (version, script, applied_at) VALUES (?, ?, toTimestamp(now()))",
                        version(script), script));
                log.info("Applied schema migration {} in {} ms", script, Duration.between(began, Instant.now()).toMillis());
            }
        } finally {
            releaseLease(holder);
        }
    }

    /** Best effort: a lease that cannot be released expires with its TTL. */
    private void releaseLease(UUID holder) {
        try {
            session.execute(SimpleStatement.newInstance("DELETE FROM schema_lock WHERE name = 'migrations' IF holder = ?",
                    holder));
        } catch (RuntimeException e) {
            log.warn("Could not release the schema migration lease; it expires in {} s", LEASE_SECONDS, e);
        }
    }

    private List<String> pending() {
        Set<Integer> applied = new HashSet<>();
        for (Row row : session.execute("SELECT version FROM schema_migrations")) {
            applied.add(row.getInt("version"));
        }
        return SCRIPTS.stream().filter(script -> !applied.contains(version(script))).toList();
    }

    private void acquireLease(UUID holder) {
        Instant giveUp = Instant.now().plusSeconds(LEASE_SECONDS);
        SimpleStatement take = SimpleStatement.newInstance(
                "INSERT INTO schema_lock (name, holder) VALUES ('migrations', ?) IF NOT EXISTS USING TTL "
                        + LEASE_SECONDS, holder);
        while (!session.execute(take).wasApplied()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new StorageUnavailableException("another process has held the schema migration lease for "
                        + LEASE_SECONDS + " s", null);
            }
            // Startup only: nothing else waits on this thread.
            LockSupport.parkNanos(LEASE_POLL.toNanos());
        }
    }

    private void change(String cql) {
        ResultSet result = session.execute(SimpleStatement.newInstance(cql).setTimeout(timeout));
        if (!result.getExecutionInfo().isSchemaInAgreement() && !session.checkSchemaAgreement()) {
            throw new StorageUnavailableException("the nodes did not agree on the schema after: " + cql, null);
        }
    }

    static int version(String script) {
        return Integer.parseInt(script.substring(0, script.indexOf('_')));
    }

    /** The statements of a script: comment lines dropped, split at semicolons. */
    static List<String> statements(String script) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(LOCATION + script)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + LOCATION + script);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String code = text.lines().filter(line -> !line.strip().startsWith("--"))
                    .reduce("", (all, line) -> all + line + "\n");
            return Arrays.stream(code.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
