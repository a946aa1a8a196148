package dev.pigeon.ops.load;

import dev.pigeon.protocol.ConversationId;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A group fan-out run: group {@code load-<runId>} of {@code members} users, spread round-robin over
 * the URLs; member 0 creates it and sends {@code warmupMessages} uncounted messages, then
 * {@code messages} counted ones, one at a time: each after the previous one reached every member
 * (or timed out), and at least {@code interval} after it, which keeps the sender under the
 * server's per-user send rate.
 */
record FanoutPlan(List<URI> urls, String runId, int members, int warmupMessages, int messages, Duration interval,
                  int bodyBytes, double connectRate, String jwtSecret) {
    /** The sender. */
    static final int SENDER = 0;
    /** Per member and message the run keeps a counter; this bounds their memory to 40 MB. */
    static final long MOST_COPIES = 10_000_000;

    FanoutPlan {
        urls = GatewayUrls.require(urls);
        if (members < 2) {
            throw new IllegalArgumentException("a fan-out needs at least 2 group members: a sender and a receiver");
        }
        if (messages < 1 || warmupMessages < 0) {
            throw new IllegalArgumentException("send at least one counted message, and no negative warm-up");
        }
        if ((long) members * (warmupMessages + messages) > MOST_COPIES) {
            throw new IllegalArgumentException("members x messages must stay at most " + MOST_COPIES
                    + ": the run counts every copy");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval between messages must not be negative");
        }
        if (!(connectRate > 0)) {
            throw new IllegalArgumentException("connect rate must be positive");
        }
    }

    /** Warm-up and counted messages together; message {@code i} is counted when {@code i >= warmupMessages}. */
    int totalMessages() {
        return warmupMessages + messages;
    }

    String group() {
        return "load-" + runId;
    }

    String conversation() {
        return ConversationId.group(group()).value();
    }

    String userId(int member) {
        return "load-" + runId + "-" + member;
    }

    /** Every member but the sender, who creates the group and is a member by that. */
    List<String> invitees() {
        return IntStream.range(0, members).filter(m -> m != SENDER).mapToObj(this::userId).toList();
    }

    /** Members go round-robin over the URLs: member m to URL {@code m mod N}. */
    int urlIndex(int member) {
        return member % urls.size();
    }

    URI url(int member) {
        return urls.get(urlIndex(member));
    }

    String spread() {
        int[] counts = new int[urls.size()];
        for (int m = 0; m < members; m++) {
            counts[urlIndex(m)]++;
        }
        return GatewayUrls.spread(urls, counts, "members");
    }
}
