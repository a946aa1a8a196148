package dev.pigeon.storage;

/**
 * The first attempt of a send: which conversation and which body (by digest) a sender's client
 * message id stands for.
 */
public record SendClaim(String sender, String clientId, String conversation, String bodyDigest) {

    /** True when {@code other} is a retry of the same send rather than a reuse of its id. */
    public boolean sameSendAs(SendClaim other) {
        return conversation.equals(other.conversation) && bodyDigest.equals(other.bodyDigest);
    }
}
