package dev.pigeon.gateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;

import java.time.Clock;

/**
 * Verifies client tokens: HS256 JWTs signed with the configured secret, with an {@code exp} in the
 * future and a {@code sub} that is a valid user id. Every other token (no signature, another
 * algorithm, another key, expired, malformed) is {@code unauthorized}. Thread-safe.
 */
public final class TokenVerifier {
    static final String DEVICE_CLAIM = "dev";

    private final JWTVerifier verifier;

    public TokenVerifier(String secret, Clock clock) {
        // The algorithm is fixed here, never read from the token, so alg none and RS/ES confusions fail.
        this.verifier = ((com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(secret))
                .withClaimPresence("exp")
                .withClaimPresence("sub"))
                .build(clock);
    }

    /** The principal of a valid token; {@code unauthorized} for a missing or invalid one. */
    public Principal verify(String token) {
        if (token == null || token.isEmpty()) {
            throw unauthorized("a token is required");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw unauthorized("invalid token");
        }
        String user = jwt.getSubject();
        if (!UserId.isValid(user)) {
            throw unauthorized("the token's sub is not a valid user id");
        }
        return new Principal(user, device(jwt.getClaim(DEVICE_CLAIM)), jwt.getExpiresAtAsInstant());
    }

    private static String device(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return null;
        }
        String device = claim.asString();
        if (device == null || device.isEmpty() || device.length() > 64) {
            throw unauthorized("the token's dev claim must be a string of 1 to 64 characters");
        }
        return device;
    }

    private static ProtocolException unauthorized(String message) {
        return new ProtocolException(ErrorCode.UNAUTHORIZED, message);
    }
}
