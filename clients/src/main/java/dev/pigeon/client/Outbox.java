package dev.pigeon.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameCodec;
import dev.pigeon.protocol.JsonFrameCodec;
import dev.pigeon.protocol.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline send queue, durable on local disk: an append-only journal of JSON lines, one
 * {@code send} frame per queued message and one {@code {"done":"<id>"}} when the server has answered
 * it. Each append is forced to disk before it returns, so a send accepted by the client survives a
 * crash of its process; opening replays the journal (ignoring a torn last line) and rewrites it with
 * only what is still queued. Thread-safe.
 */
final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final String DONE = "done";

    private final FrameCodec codec = new JsonFrameCodec();
    private final Path file;
    private final Map<String, Frame.Send> queued = new LinkedHashMap<>();
    private FileChannel journal;

    private Outbox(Path file) {
        this.file = file;
    }

    /** Opens (or creates) the journal at {@code file}, keeping the sends it still holds, in order. */
    static Outbox open(Path file) {
        Outbox outbox = new Outbox(file);
        outbox.load();
        return outbox;
    }

    /** Queues {@code send} durably; false (and nothing written) if a send with its id is already queued. */
    synchronized boolean add(Frame.Send send) {
        if (queued.containsKey(send.id())) {
            return false;
        }
        append(codec.encode(send));
        queued.put(send.id(), send);
        return true;
    }

    /** Marks the send with {@code id} answered, so it is never sent again. */
    synchronized void remove(String id) {
        if (queued.remove(id) != null) {
            append(ProtocolJson.mapper().createObjectNode().put(DONE, id).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The oldest queued send, or null. */
    synchronized Frame.Send first() {
        return queued.isEmpty() ? null : queued.values().iterator().next();
    }

    synchronized List<Frame.Send> all() {
        return List.copyOf(queued.values());
    }

    synchronized int size() {
        return queued.size();
    }

    @Override
    public synchronized void close() {
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() {
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    replay(line);
                }
            }
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the send queue " + file, e);
        }
    }

    private void replay(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            JsonNode json = ProtocolJson.mapper().readTree(line);
            if (json.has(DONE)) {
                queued.remove(json.get(DONE).asText());
            } else if (codec.decodeClient(line.getBytes(StandardCharsets.UTF_8)) instanceof Frame.Send send) {
                queued.putIfAbsent(send.id(), send);
            }
        } catch (IOException | RuntimeException e) {
            // only the last line can be torn (a crash mid-append); it was never acknowledged to anyone
            log.warn("skipping an unreadable line of the send queue {}: {}", file, e.getMessage());
        }
    }

    /** Rewrites the journal with only the queued sends, atomically, then reopens it for appends. */
    private void compact() throws IOException {
        Path fresh = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Frame.Send send : queued.values()) {
                writeLine(out, codec.encode(send));
            }
            out.force(true);
        }
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        journal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void append(byte[] line) {
        try {
            writeLine(journal, line);
            journal.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the send queue " + file, e);
        }
    }

    private static void writeLine(FileChannel channel, byte[] line) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
