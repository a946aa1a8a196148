package dev.pigeon.gateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!!";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final TokenVerifier verifier = new TokenVerifier(SECRET, clock);
    private final TokenIssuer issuer = new TokenIssuer(SECRET, clock);

    @Test
    void acceptsATokenItIssued() {
        Principal principal = verifier.verify(issuer.issue("alice", Duration.ofMinutes(5)));
        assertThat(principal).isEqualTo(new Principal("alice", null, NOW.plusSeconds(300)));
    }

    @Test
    void readsTheDeviceClaim() {
        assertThat(verifier.verify(issuer.issue("alice", "phone", Duration.ofMinutes(5))).device()).isEqualTo("phone");
    }

    @Test
    void refusesExpiredTokens() {
        String token = JWT.create().withSubject("alice").withExpiresAt(NOW.minusSeconds(1)).sign(Algorithm.HMAC256(SECRET));
        assertUnauthorized(token);
    }

    @Test
    void refusesTokensWithoutExpiryOrSubject() {
        assertUnauthorized(JWT.create().withSubject("alice").sign(Algorithm.HMAC256(SECRET)));
        assertUnauthorized(JWT.create().withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC256(SECRET)));
    }

    @Test
    void refusesSubjectsThatAreNotUserIds() {
        for (String subject : new String[] {"", ".", "..", "has space", "x".repeat(65), "semi;colon"}) {
            assertUnauthorized(JWT.create().withSubject(subject).withExpiresAt(NOW.plusSeconds(60))
                    .sign(Algorithm.HMAC256(SECRET)));
        }
    }

    @Test
    void refusesOtherKeysAndAlgorithms() throws Exception {
        assertUnauthorized(JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.HMAC256("another-secret-of-at-least-thirty-two-bytes")));
        assertUnauthorized(JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.HMAC512(SECRET)));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var keys = generator.generateKeyPair();
        assertUnauthorized(JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.RSA256((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate())));
    }

    @Test
    void refusesAlgNone() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}")
                .getBytes(StandardCharsets.UTF_8));
        assertUnauthorized(header + "." + payload + ".");
        assertUnauthorized(header + "." + payload);
    }

    @Test
    void refusesMalformedTokensAndBadDeviceClaims() {
        for (String token : new String[] {null, "", "x", "a.b.c", "....", "eyJ.eyJ.sig"}) {
            assertUnauthorized(token);
        }
        assertUnauthorized(JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(60)).withClaim("dev", 42)
                .sign(Algorithm.HMAC256(SECRET)));
    }

    private void assertUnauthorized(String token) {
        assertThatThrownBy(() -> verifier.verify(token)).as(String.valueOf(token))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }
}
