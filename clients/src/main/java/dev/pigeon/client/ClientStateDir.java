package dev.pigeon.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pigeon.protocol.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The directory holding one user's and device's client state: the send queue ({@code outbox.jsonl}),
 * the inbox position handed to the application ({@code position.json}) and the read markers not sent
 * yet ({@code reads.json}). Each file is replaced durably (written aside, forced, renamed over the old
 * one), so a crash leaves either the old or the new content. A lock file keeps two clients (in one
 * process or two) from sharing the directory.
 */
final class ClientStateDir implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientStateDir.class);
    private static final String POSITION = "position.json";
    private static final String READS = "reads.json";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Outbox outbox;

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

    /** Saves the position durably: once this returns, a crash cannot bring back an older one. */
    void savePosition(long seq) {
        replace(POSITION, ProtocolJson.mapper().createObjectNode().put("seq", seq));
    }

    /** The newest read marker per conversation that was not sent yet (empty when none, or unreadable). */
    Map<String, Long> readMarkers() {
        Path file = dir.resolve(READS);
        Map<String, Long> markers = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return markers;
        }
        try {
            ProtocolJson.mapper().readTree(Files.readAllBytes(file)).fields().forEachRemaining(field -> {
                if (field.getValue().canConvertToLong()) {
                    markers.put(field.getKey(), field.getValue().asLong());
                }
            });
        } catch (IOException e) {
            log.warn("ignoring the unreadable read markers in {}: {}", file, e.getMessage());
        }
        return markers;
    }

    /** Replaces the saved read markers durably with {@code markers} (conversation to {@code conv_seq}). */
    void saveReadMarkers(Map<String, Long> markers) {
        ObjectNode json = ProtocolJson.mapper().createObjectNode();
        markers.forEach(json::put);
        replace(READS, json);
    }

    private void replace(String name, JsonNode content) {
        Path fresh = dir.resolve(name + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(ProtocolJson.mapper().writeValueAsBytes(content));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(fresh, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + name + " in " + dir, e);
        }
    }

    /** Makes the rename itself durable; where a directory cannot be opened (Windows) the rename is as far as it goes. */
    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            log.debug("cannot force the directory {}: {}", dir, e.toString());
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
