package dev.pigeon.storage.embedded;

import dev.pigeon.storage.StorageUnavailableException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** An open RocksDB with one column family per {@link Table}, and everything native it owns. */
final class Database implements AutoCloseable {
    private static final byte[] FORMAT_KEY = "pigeon.format".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT_VERSION = Key.encodePosition(1);
    private static final long CACHE_BYTES = 32L << 20;
    private static final long WRITE_BUFFER_BYTES = 16L << 20;
    private static final long ALL_WRITE_BUFFERS_BYTES = 64L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions tableOptions;
    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final WriteOptions writeOptions;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Table, ColumnFamilyHandle> byTable = new EnumMap<>(Table.class);
    private final boolean syncWrites;

    private Database(Path dir, boolean syncWrites) throws RocksDBException {
        this.syncWrites = syncWrites;
        blockCache = new LRUCache(CACHE_BYTES);
        bloomFilter = new BloomFilter(10);
        tableOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setFilterPolicy(bloomFilter));
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setDbWriteBufferSize(ALL_WRITE_BUFFERS_BYTES)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2);
        writeOptions = new WriteOptions().setSync(syncWrites);

        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, tableOptions));
        for (Table table : Table.values()) {
            descriptors.add(new ColumnFamilyDescriptor(table.columnFamily(), tableOptions));
        }
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw e;
        }
        for (Table table : Table.values()) {
            byTable.put(table, handles.get(table.ordinal() + 1));
        }
    }

    /** Opens (creating it and its parents if needed) the store in {@code dir}; a clear error when it cannot. */
    static Database open(Path dir, boolean syncWrites) {
        Database database;
        try {
            Files.createDirectories(dir);
            database = new Database(dir, syncWrites);
        } catch (IOException | RocksDBException e) {
            throw new StorageUnavailableException("cannot open the embedded store at " + dir + ": " + e.getMessage(), e);
        }
        try {
            database.checkFormat(dir);
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private void checkFormat(Path dir) {
        try {
            byte[] stored = db.get(FORMAT_KEY);
            if (stored == null) {
                db.put(writeOptions, FORMAT_KEY, FORMAT_VERSION);
            } else if (!Arrays.equals(stored, FORMAT_VERSION)) {
                throw new StorageUnavailableException("the embedded store at " + dir
                        + " has an unknown format version " + Key.decodePosition(stored), null);
            }
        } catch (RocksDBException e) {
            throw new StorageUnavailableException("cannot read the embedded store at " + dir + ": " + e.getMessage(), e);
        }
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle handle(Table table) {
        return byTable.get(table);
    }

    /** Writes a batch atomically, durable on disk first when writes are synchronous. */
    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    void put(Table table, byte[] key, byte[] value) throws RocksDBException {
        db.put(handle(table), writeOptions, key, value);
    }

    byte[] get(Table table, byte[] key) throws RocksDBException {
        return db.get(handle(table), key);
    }

    /** A key and its value, as a scan finds them. */
    record Record(byte[] key, byte[] value) {
    }

    /** Every record of {@code table} whose key starts with {@code prefix}, in key order. */
    List<Record> withPrefix(Table table, byte[] prefix) throws RocksDBException {
        List<Record> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator(handle(table))) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                found.add(new Record(it.key(), it.value()));
            }
            it.status();
        }
        return found;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Makes everything written durable, then releases the native resources. Not thread safe. */
    @Override
    public void close() {
        try {
            if (!syncWrites) {
                db.flushWal(true);
            }
        } catch (RocksDBException e) {
            throw new StorageUnavailableException("cannot flush the embedded store: " + e.getMessage(), e);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw new StorageUnavailableException("cannot close the embedded store: " + e.getMessage(), e);
            } finally {
                closeOptions();
            }
        }
    }

    private void closeOptions() {
        writeOptions.close();
        dbOptions.close();
        tableOptions.close();
        blockCache.close();
        bloomFilter.close();
    }
}
