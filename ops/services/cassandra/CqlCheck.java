import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.SocketOptions;

/**
 * Smoke test of a running node, run by `ops/bin/cassandra check` with the Java source launcher:
 * creates a keyspace and a table, writes a row, reads it back and drops the keyspace. Uses the
 * DataStax 3.x driver that ships among the server's own jars, so it needs nothing else.
 * Arguments: ADDRESS PORT.
 */
public final class CqlCheck {
    private static final String KEYSPACE = "pigeon_services_check";

    public static void main(String[] args) {
        String address = args[0];
        int port = Integer.parseInt(args[1]);
        // Schema changes right after a fresh start can take longer than the driver's default 12 s.
        SocketOptions socket = new SocketOptions().setReadTimeoutMillis(30_000);
        try (Cluster cluster = Cluster.builder()
                        .addContactPoint(address)
                        .withPort(port)
                        .withSocketOptions(socket)
                        .withoutJMXReporting()
                        .build();
                Session session = cluster.connect()) {
            Row local = session.execute("SELECT release_version, data_center FROM system.local").one();
            String release = local.getString("release_version");
            String dataCentre = local.getString("data_center");
            session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE); // left over by an interrupted check
            // One replica in this node's own data centre, so that LOCAL_ONE works in a multi-DC cluster too.
            session.execute("CREATE KEYSPACE " + KEYSPACE
                    + " WITH replication = {'class': 'NetworkTopologyStrategy', '" + dataCentre + "': 1}");
            session.execute("CREATE TABLE " + KEYSPACE + ".kv (k text PRIMARY KEY, v text)");
            session.execute("INSERT INTO " + KEYSPACE + ".kv (k, v) VALUES (?, ?)", "key", "value");
            Row row = session.execute("SELECT v FROM " + KEYSPACE + ".kv WHERE k = ?", "key").one();
            session.execute("DROP KEYSPACE " + KEYSPACE);
            if (row == null || !"value".equals(row.getString("v"))) {
                throw new IllegalStateException("read back " + row + " instead of the row just written");
            }
            System.out.println("Cassandra " + release + " at " + address + ":" + port + " (" + dataCentre
                    + "): CREATE KEYSPACE, CREATE TABLE, INSERT, SELECT, DROP KEYSPACE all worked");
        }
    }
}
