package dev.pigeon.client;

import dev.pigeon.protocol.FrameValidator;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Everything a {@link PigeonClient} was built with; see {@link PigeonClient.Builder} for each. */
record ClientSettings(
        URI server,
        String user,
        String device,
        Function<HttpClient, CompletableFuture<String>> tokens,
        Path stateDir,
        List<TransportKind> transports,
        PigeonListener listener,
        boolean startAtHead,
        Duration backoffBase,
        Duration backoffMax,
        int failuresBeforeFallback,
        Duration cutWindow,
        Duration retryBetterAfter,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration idleTimeout,
        Duration pollWait,
        Duration ackDelay,
        FrameValidator.Limits limits) {

    /** Where this user's and device's queue and position live. */
    Path userStateDir() {
        return stateDir.resolve(user).resolve(device);
    }
}
