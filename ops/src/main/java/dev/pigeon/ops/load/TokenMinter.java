package dev.pigeon.ops.load;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Duration;
import java.time.Instant;

/** Signs the HS256 tokens of simulated users, valid for the whole run so no session expires mid-run. */
final class TokenMinter {
    private final Algorithm algorithm;
    private final Duration lifetime;

    TokenMinter(String secret, Duration lifetime) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.lifetime = lifetime;
    }

    String mint(String user) {
        return JWT.create()
                .withSubject(user)
                .withExpiresAt(Instant.now().plus(lifetime))
                .sign(algorithm);
    }
}
