package dev.pigeon.ops.regions;

import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the drill's conversations and inboxes back through the nodes of one region, each as a
 * member or owner (PROTOCOL.md's public reads), trying the next node when one fails.
 */
final class DrillReadBack {

    /** Every conversation's history and every user's inbox, as one region served them. */
    record Snapshot(Map<String, List<LogEntry>> histories, Map<String, List<Frame.Msg>> inboxes) {
    }

    @FunctionalInterface
    private interface Read<T> {
        T from(NodeEndpoints node) throws IOException, InterruptedException;
    }

    private final DrillHttp http;
    private final List<NodeEndpoints> nodes;
    private final Function<String, String> tokens;

    /** @param tokens each user's token */
    DrillReadBack(DrillHttp http, List<NodeEndpoints> nodes, Function<String, String> tokens) {
        this.http = http;
        this.nodes = List.copyOf(nodes);
        this.tokens = tokens;
    }

    /** Each conversation's whole history, read as its first member. */
    Map<String, List<LogEntry>> histories(Map<String, List<String>> conversations)
            throws IOException, InterruptedException {
        Map<String, List<LogEntry>> histories = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> conversation : conversations.entrySet()) {
            String token = tokens.apply(conversation.getValue().get(0));
            histories.put(conversation.getKey(), read(node -> http.history(node, token, conversation.getKey())));
        }
        return histories;
    }

    /** Each user's whole inbox. */
    Map<String, List<Frame.Msg>> inboxes(List<String> users) throws IOException, InterruptedException {
        Map<String, List<Frame.Msg>> inboxes = new LinkedHashMap<>();
        for (String user : users) {
            String token = tokens.apply(user);
            inboxes.put(user, read(node -> http.inbox(node, token)));
        }
        return inboxes;
    }

    Snapshot all(Map<String, List<String>> conversations, List<String> users) throws IOException, InterruptedException {
        return new Snapshot(histories(conversations), inboxes(users));
    }

    private <T> T read(Read<T> read) throws IOException, InterruptedException {
        IOException last = null;
        for (NodeEndpoints node : nodes) {
            try {
                return read.from(node);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no node to read from");
    }
}
