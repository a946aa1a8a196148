package dev.pigeon.ops;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Clock;
import java.time.Duration;

/**
 * Signs client tokens (HS256, {@code sub} = user) with a node's secret: for a local cluster, which
 * has no dev-token endpoint, and for the load generator's simulated users.
 */
public final class ClientTokens {
    private final Algorithm algorithm;
    private final Duration lifetime;
    private final Clock clock;

    public ClientTokens(String jwtSecret, Duration lifetime, Clock clock) {
        this.algorithm = Algorithm.HMAC256(jwtSecret);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String mint(String user) {
        return JWT.create()
                .withSubject(user)
                .withExpiresAt(clock.instant().plus(lifetime))
                .sign(algorithm);
    }
}
