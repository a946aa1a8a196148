package dev.pigeon.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.ProtocolJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The directory holding one user's and device's client state: the send queue ({@code outbox.jsonl})
 * and the newest inbox position handed to the application ({@code position.json}). A lock file keeps
 * two clients (in one process or two) from sharing it.
 */
final class ClientStateDir implements AutoCloseable {
    private static final String POSITION = "position.json";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Outbox outbox;
    private long savedPosition = -1;

    private ClientStateDir(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.outbox = Outbox.open(dir.resolve("outbox.jsonl"));
    }

    static ClientStateDir open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another client holds the state directory " + dir);
            }
            return new ClientStateDir(dir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the client state directory " + dir, e);
        }
    }

    Outbox outbox() {
        return outbox;
    }

    /** The newest {@code seq} the application was given, or null if none was ever saved. */
    Long position() {
        Path file = dir.resolve(POSITION);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode json = ProtocolJson.mapper().readTree(Files.readAllBytes(file));
            return json.path("seq").canConvertToLong() ? json.get("seq").asLong() : null;
        } catch (IOException e) {
            return null; // unreadable: start over from the server's head rather than refuse to start
        }
    }

    /** Saves the position by replacing the file atomically (not forced: a crash may repeat a few entries). */
    void savePosition(long seq) {
        if (seq == savedPosition) {
            return;
        }
        Path fresh = dir.resolve(POSITION + ".tmp");
        try {
            Files.write(fresh, ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
            Files.move(fresh, dir.resolve(POSITION), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            savedPosition = seq;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the inbox position in " + dir, e);
        }
    }

    @Override
    public void close() {
        outbox.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
