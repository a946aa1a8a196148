package dev.pigeon.router;

import dev.pigeon.homing.HomeDirectory;
import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.FrameValidator;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.storage.InboxEntry;
import dev.pigeon.storage.MessageDraft;
import dev.pigeon.storage.MessageStore;
import dev.pigeon.storage.SendClaim;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The path of one send: validate, rate-limit, check the home, authorise, de-duplicate, append to
 * the log and every member's inbox (in {@code conv_seq} order: {@link ConversationSequencer}),
 * answer {@code sent}, then fan out. Every storage step is
 * idempotent, so a retry of the same send re-runs them all and answers the same {@code sent}.
 */
final class SendPipeline {
    private static final Logger log = LoggerFactory.getLogger(SendPipeline.class);
    private static final String TEXT = "text";

    private final FrameValidator validator;
    private final HomeDirectory homes;
    private final MessageStore store;
    private final StoreCalls calls;
    private final Membership membership;
    private final ConversationSequencer sequencer;
    private final RegionRouting routing;
    private final UserRateLimiters rateLimiters;
    private final FanOut fanOut;
    private final Clock clock;
    private final MeterRegistry registry;

    SendPipeline(FrameValidator validator, HomeDirectory homes, MessageStore store, StoreCalls calls, Membership membership,
                 ConversationSequencer sequencer, RegionRouting routing, UserRateLimiters rateLimiters, FanOut fanOut,
                 Clock clock, MeterRegistry registry) {
        this.routing = routing;
        this.validator = validator;
        this.homes = homes;
        this.store = store;
        this.calls = calls;
        this.membership = membership;
        this.sequencer = sequencer;
        this.rateLimiters = rateLimiters;
        this.fanOut = fanOut;
        this.clock = clock;
        this.registry = registry;
    }

    CompletableFuture<Frame.Sent> send(String sender, Frame.Send frame) {
        return send(sender, frame, false);
    }

    /**
     * A send another region forwarded here, its conversation's home: run here or refused
     * {@code unavailable} (never forwarded again, so regions that disagree on a home cannot loop).
     */
    CompletableFuture<Frame.Sent> sendForwarded(String sender, Frame.Send frame) {
        return send(sender, frame, true);
    }

    private CompletableFuture<Frame.Sent> send(String sender, Frame.Send frame, boolean forwarded) {
        Timer.Sample sample = Timer.start(registry);
        CompletableFuture<Frame.Sent> result = new CompletableFuture<>();
        // the outcome is counted before the caller hears it
        Failures.settle(() -> accept(sender, frame, forwarded), frame.replyRef()).whenComplete((sent, failure) -> {
            sample.stop(Timer.builder("pigeon.router.sends")
                    .description("sends by outcome: sent or the error code")
                    .tag("outcome", failure == null ? "sent" : Failures.toProtocol(failure).code().wireName())
                    .register(registry));
            if (failure == null) {
                result.complete(sent);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    private CompletableFuture<Frame.Sent> accept(String sender, Frame.Send frame, boolean forwarded) {
        Frame.Send send = validator.send(frame, sender);
        // a forwarded send was limited where it entered
        if (!forwarded && !rateLimiters.tryAcquire(sender)) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many sends, slow down");
        }
        ConversationId conversation = ConversationId.parse(send.conversation());
        return calls.call(() -> homes.homeOfConversation(conversation.value())).thenCompose(home -> {
            if (!homes.isLocal(home) && !forwarded && routing.multiRegion()) {
                // writes travel home: the conversation's home region runs the send
                return calls.call(() -> routing.to(home.region()).send(sender, send));
            }
            routing.requireWritableHere(conversation.value(), home);
            return membership.requireMember(sender, conversation)
                    .thenCompose(members -> claim(sender, send).thenCompose(claimed -> persist(sender, send, members)));
        });
    }

    /** Claims the client id; an earlier claim for another conversation or body is a {@code conflict}. */
    private CompletableFuture<SendClaim> claim(String sender, Frame.Send send) {
        SendClaim claim = new SendClaim(sender, send.id(), send.conversation(), digest(send));
        return calls.call(() -> store.claimSend(claim)).thenApply(held -> {
            if (!held.sameSendAs(claim)) {
                throw ProtocolException.conflict("id " + send.id() + " was used for another message");
            }
            return held;
        });
    }

    private CompletableFuture<Frame.Sent> persist(String sender, Frame.Send send, List<String> members) {
        MessageDraft draft = new MessageDraft(send.conversation(), sender, send.id(), send.body(), send.format(),
                clock.millis());
        return sequencer.append(draft, members).thenCompose(placed -> routing.owe(placed.entry(), members)
                .thenCompose(regions -> senderSeq(sender, placed).thenApply(seq -> {
                    fanOut(placed);
                    LogEntry entry = placed.entry();
                    regions.forEach(region -> pushLater(region, entry));
                    return new Frame.Sent(send.replyRef(), send.id(), entry.conversation(), entry.convSeq(), seq,
                            entry.ts());
                })));
    }

    /** The sender's seq of the entry: placed here, or by the sender's home region, asked now. */
    private CompletableFuture<Long> senderSeq(String sender, ConversationSequencer.Placed placed) {
        Long here = placed.seqs().get(sender);
        if (here != null) {
            return CompletableFuture.completedFuture(here);
        }
        LogEntry entry = placed.entry();
        return calls.call(() -> homes.homeOfUser(sender)).thenCompose(home -> {
            if (homes.isLocal(home) || home.moving()) {
                throw ProtocolException.unavailable(sender + " is moving homes; try again");
            }
            return routing.placeForSender(home.region(), entry.conversation(), entry.convSeq()).thenApply(placement -> {
                Long seq = placement.seqs().get(sender);
                if (seq == null) {
                    throw ProtocolException.unavailable("region " + home.region() + " did not place the message for "
                            + sender + " yet; try again");
                }
                return seq;
            });
        });
    }

    /** Pushes the entry to a region with members; the outbox forwarder retries whatever fails here. */
    private void pushLater(String region, LogEntry entry) {
        routing.push(region, entry.conversation(), entry.convSeq()).whenComplete((placement, failure) -> {
            if (failure != null) {
                log.debug("push of {} {} to region {} failed ({}); the outbox keeps it", entry.conversation(),
                        entry.convSeq(), region, Failures.unwrap(failure).toString());
            }
        });
    }

    /** Pushes the new entry to the members' live sessions; a failure here (logged by the fan-out) never fails the send. */
    private void fanOut(ConversationSequencer.Placed placed) {
        fanOut.publish(List.copyOf(placed.seqs().keySet()),
                member -> new Delivery.Message(member, new InboxEntry(placed.seqs().get(member), placed.entry())), "message");
    }

    /** SHA-256 of format and body: what makes a retry the same send. The validator made text null. */
    private static String digest(Frame.Send send) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        String format = send.format() == null ? TEXT : send.format();
        byte[] formatBytes = format.getBytes(StandardCharsets.UTF_8);
        // length-prefixed, so no split of the same bytes between format and body digests alike
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(formatBytes.length).array());
        sha256.update(formatBytes);
        sha256.update(send.body().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha256.digest());
    }
}
