package dev.pigeon.ops.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends as a well-behaved client does: over HTTP, and on {@code unavailable} (503) or a failed
 * connection again with the same client id, through whichever node {@code port} names at the time,
 * until the message is acked.
 */
final class RetryingSender {
    private final NodeClient client;
    private final Duration patience;

    RetryingSender(NodeClient client, Duration patience) {
        this.client = client;
        this.patience = patience;
    }

    /** Sends to a user ({@code to}) or, for {@code g:} and {@code dm:} targets, a conversation. */
    AckedSend send(IntSupplier port, String from, String target, String id, String body) {
        Map<String, String> frame = target.contains(":")
                ? Map.of("id", id, "conversation", target, "body", body)
                : Map.of("id", id, "to", target, "body", body);
        AtomicReference<JsonNode> sent = new AtomicReference<>();
        await(from + "'s send " + id).atMost(patience).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> answer;
                    try {
                        answer = client.post(port.getAsInt(), "/v1/send", client.token(from), frame);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                    if (answer.statusCode() == 503) {
                        return false;
                    }
                    assertThat(answer.statusCode()).as("%s's send %s: %s", from, id, answer.body()).isEqualTo(200);
                    sent.set(NodeClient.JSON.readTree(answer.body()));
                    return true;
                });
        return AckedSend.of(from, body, sent.get());
    }
}
