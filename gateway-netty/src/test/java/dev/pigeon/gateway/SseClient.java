package dev.pigeon.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Server-Sent Events response off a raw socket: the status line and headers, then the
 * chunked body, split into events exactly as the bytes came (so the test sees the wire format).
 */
final class SseClient implements AutoCloseable {
    /** One event block: its fields, and comment lines (without the colon). */
    record Event(String id, String event, String data, Integer retry, List<String> comments) {
        boolean isComment() {
            return event == null && data == null && retry == null && id == null;
        }
    }

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    private final Socket socket;
    private final InputStream in;
    private final StringBuilder body = new StringBuilder();
    private boolean ended;

    private SseClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.in = socket.getInputStream();
        String statusLine = readLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    /** Opens {@code GET pathAndQuery} with the given extra request headers. */
    static SseClient open(TestNode node, String pathAndQuery, Map<String, String> requestHeaders) {
        try {
            Socket socket = new Socket("127.0.0.1", node.server.port());
            StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n");
            requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new SseClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SseClient open(TestNode node, String pathAndQuery, String token) {
        return open(node, pathAndQuery, Map.of("Authorization", "Bearer " + token));
    }

    /** The next event block, or null once the stream ended cleanly (the terminating chunk arrived). */
    Event next() {
        try {
            while (true) {
                int end = body.indexOf("\n\n");
                if (end >= 0) {
                    String block = body.substring(0, end);
                    body.delete(0, end + 2);
                    return parse(block);
                }
                if (ended || !readChunk()) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next named event (skipping comments and {@code retry:}). */
    Event nextEvent() {
        Event event = next();
        while (event != null && event.event() == null) {
            event = next();
        }
        return event;
    }

    /** Reads events until the stream ends; true when it ended with the terminating chunk. */
    boolean awaitEnd() {
        while (next() != null) {
            // skip
        }
        return ended;
    }

    private static Event parse(String block) {
        String id = null;
        String event = null;
        String data = null;
        Integer retry = null;
        List<String> comments = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
                continue;
            }
            int colon = line.indexOf(':');
            String field = line.substring(0, colon);
            String value = line.substring(colon + 1).startsWith(" ") ? line.substring(colon + 2) : line.substring(colon + 1);
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? value : data + "\n" + value;
                case "retry" -> retry = Integer.parseInt(value);
                default -> throw new AssertionError("unexpected field " + field);
            }
        }
        return new Event(id, event, data, retry, comments);
    }

    /** Appends one chunk to the body; false at the end of the stream. */
    private boolean readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            return false;
        }
        int size = Integer.parseInt(sizeLine.trim(), 16);
        if (size == 0) {
            readLine();
            ended = true;
            return false;
        }
        byte[] chunk = in.readNBytes(size);
        body.append(new String(chunk, StandardCharsets.UTF_8));
        readLine();
        return true;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
