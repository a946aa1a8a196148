package dev.pigeon.storage.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SequencedTableTest {
    @TempDir
    Path dir;
    private Database database;

    @BeforeEach
    void open() {
        database = Database.open(dir, false);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void positionsStayContiguousWhenCachedHeadsAreEvicted() throws Exception {
        SequencedTable table = new SequencedTable(database, Table.INBOX, Table.INBOX_INDEX, new Stripes(1, 1));
        byte[] a = Key.of("a").bytes();
        byte[] b = Key.of("b").bytes();

        for (int i = 1; i <= 3; i++) {
            assertThat(table.append(a, Key.of("a").then(i).bytes(), p -> value(p)).position()).isEqualTo(i);
            assertThat(table.append(b, Key.of("b").then(i).bytes(), p -> value(p)).position()).isEqualTo(i);
        }

        assertThat(table.head(a)).isEqualTo(3);
        assertThat(table.readAfter(a, 0, 10)).extracting(SequencedTable.Positioned::position).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aNewTableContinuesAfterTheStoredHead() throws Exception {
        byte[] partition = Key.of("p").bytes();
        SequencedTable first = new SequencedTable(database, Table.LOG, Table.LOG_INDEX, new Stripes(4, 4));
        first.append(partition, Key.of("p").then("x").bytes(), p -> value(p));
        first.append(partition, Key.of("p").then("y").bytes(), p -> value(p));

        SequencedTable second = new SequencedTable(database, Table.LOG, Table.LOG_INDEX, new Stripes(4, 4));

        assertThat(second.append(partition, Key.of("p").then("z").bytes(), p -> value(p)).position()).isEqualTo(3);
        assertThat(second.append(partition, Key.of("p").then("x").bytes(), p -> value(p)).value())
                .isEqualTo(value(1));
    }

    private static byte[] value(long position) {
        return ("v" + position).getBytes(StandardCharsets.US_ASCII);
    }
}
