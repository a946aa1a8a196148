package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.pigeon.storage.SendClaim;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Send claims: the first attempt of each (sender, client id), kept for a TTL. One lightweight
 * transaction decides the winner and, when it is not this claim, returns the one that won.
 */
final class ClaimTable {
    private final CqlSession session;
    private final PartitionLanes lanes;
    private final PreparedStatement insertIfAbsent;
    private final int ttlSeconds;

    private ClaimTable(CqlSession session, PartitionLanes lanes, PreparedStatement insertIfAbsent, int ttlSeconds) {
        this.session = session;
        this.lanes = lanes;
        this.insertIfAbsent = insertIfAbsent;
        this.ttlSeconds = ttlSeconds;
    }

    static CompletionStage<ClaimTable> prepare(CqlSession session, PartitionLanes lanes, Duration ttl) {
        return session.prepareAsync("INSERT INTO send_claims (sender, client_id, conversation, body_digest)"
                        + " VALUES (?, ?, ?, ?) IF NOT EXISTS USING TTL ?")
                .thenApply(prepared -> new ClaimTable(session, lanes, prepared, Math.toIntExact(ttl.toSeconds())));
    }

    CompletionStage<SendClaim> claim(SendClaim claim) {
        return lanes.run(claim.sender() + '\n' + claim.clientId(), () -> session.executeAsync(insertIfAbsent.bind(
                        claim.sender(), claim.clientId(), claim.conversation(), claim.bodyDigest(), ttlSeconds))
                .thenApply(result -> {
                    if (result.wasApplied()) {
                        return claim;
                    }
                    Row winner = result.one();
                    return new SendClaim(claim.sender(), claim.clientId(), winner.getString("conversation"),
                            winner.getString("body_digest"));
                }));
    }
}
