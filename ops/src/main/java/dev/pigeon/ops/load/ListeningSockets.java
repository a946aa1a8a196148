package dev.pigeon.ops.load;

import java.util.List;
import java.util.OptionalLong;

/** Reads the listening sockets out of {@code /proc/net/tcp} and {@code /proc/net/tcp6}. */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** The inode of a socket listening on {@code port} (any address), if the table has one. */
    static OptionalLong inodeListeningOn(List<String> table, int port) {
        for (String line : table) {
            String[] fields = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            if (fields.length < 10 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
                continue;
            }
            String local = fields[1];
            int colon = local.lastIndexOf(':');
            if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
                return OptionalLong.of(Long.parseLong(fields[9]));
            }
        }
        return OptionalLong.empty();
    }
}
