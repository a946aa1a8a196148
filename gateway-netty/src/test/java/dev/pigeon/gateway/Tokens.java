package dev.pigeon.gateway;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Tokens a client should never get away with. */
final class Tokens {

    private Tokens() {
    }

    static String signedWith(String secret, String user, Instant expiresAt) {
        return JWT.create().withSubject(user).withExpiresAt(expiresAt).sign(Algorithm.HMAC256(secret));
    }

    static String expired(String secret, String user) {
        return signedWith(secret, user, Instant.now().minusSeconds(60));
    }

    static String forged(String user) {
        return signedWith("some-other-secret-of-sufficient-length!!", user, Instant.now().plusSeconds(3600));
    }

    static String hs512(String secret, String user) {
        return JWT.create().withSubject(user).withExpiresAt(Instant.now().plusSeconds(3600))
                .sign(Algorithm.HMAC512(secret));
    }

    /** {@code alg: none}, no signature: accepted by naive verifiers. */
    static String algNone(String user) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":" + (Instant.now().getEpochSecond() + 3600)
                + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    static String withoutExpiry(String secret, String user) {
        return JWT.create().withSubject(user).sign(Algorithm.HMAC256(secret));
    }

    static String withSubject(String secret, String subject) {
        return signedWith(secret, subject, Instant.now().plusSeconds(3600));
    }
}
