package dev.pigeon.gateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pigeon.protocol.UserId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Mints client tokens with the configured secret: what {@code POST /v1/dev/token} hands out. Thread-safe. */
public final class TokenIssuer {
    private final Algorithm algorithm;
    private final Clock clock;

    public TokenIssuer(String secret, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.clock = clock;
    }

    /** A token for {@code user}, valid for {@code lifetime}, naming no device. */
    public String issue(String user, Duration lifetime) {
        return issue(user, null, lifetime);
    }

    /** A token for {@code user} and {@code device} (null for none), valid for {@code lifetime}. */
    public String issue(String user, String device, Duration lifetime) {
        UserId.require(user, "user");
        Instant now = clock.instant();
        var token = JWT.create().withSubject(user).withIssuedAt(now).withExpiresAt(now.plus(lifetime));
        if (device != null) {
            token.withClaim(TokenVerifier.DEVICE_CLAIM, device);
        }
        return token.sign(algorithm);
    }
}
