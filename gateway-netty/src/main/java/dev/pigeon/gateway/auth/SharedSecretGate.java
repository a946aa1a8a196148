package dev.pigeon.gateway.auth;

import dev.pigeon.gateway.http.HttpExchange;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.ProtocolException;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * Refuses every request whose {@code Authorization} is not {@code Bearer <secret>}, comparing in
 * constant time so the answer's timing tells nothing about the secret: the gate of the admin port
 * and of the region link.
 */
public final class SharedSecretGate implements Consumer<HttpExchange> {
    private static final String BEARER = "Bearer ";

    private final byte[] expected;
    private final String refusal;

    /** @param what names the secret in the refusal ({@code "the admin token"}) */
    public SharedSecretGate(String secret, String what) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        this.expected = (BEARER + secret).getBytes(StandardCharsets.UTF_8);
        this.refusal = what + " is required";
    }

    @Override
    public void accept(HttpExchange exchange) {
        String authorization = exchange.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] given = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, refusal);
        }
    }
}
