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
    private static final String TEXT = "text";

    private final FrameValidator validator;
    private final HomeDirectory homes;
    private final MessageStore store;
    private final StoreCalls calls;
    private final Membership membership;
    private final ConversationSequencer sequencer;
    private final UserRateLimiters rateLimiters;
    private final FanOut fanOut;
    private final Clock clock;
    private final MeterRegistry registry;

    SendPipeline(FrameValidator validator, HomeDirectory homes, MessageStore store, StoreCalls calls, Membership membership,
                 ConversationSequencer sequencer, UserRateLimiters rateLimiters, FanOut fanOut, Clock clock,
                 MeterRegistry registry) {
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
        Timer.Sample sample = Timer.start(registry);
        CompletableFuture<Frame.Sent> result = new CompletableFuture<>();
        // the outcome is counted before the caller hears it
        Failures.settle(() -> accept(sender, frame), frame.replyRef()).whenComplete((sent, failure) -> {
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

    private CompletableFuture<Frame.Sent> accept(String sender, Frame.Send frame) {
        Frame.Send send = validator.send(frame, sender);
        if (!rateLimiters.tryAcquire(sender)) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many sends, slow down");
        }
        ConversationId conversation = ConversationId.parse(send.conversation());
        return calls.call(() -> homes.homeOfConversation(conversation.value()))
                .thenCompose(home -> {
                    if (!homes.isLocal(home)) {
                        throw ProtocolException.unavailable(conversation + " is homed in region " + home.region());
                    }
                    return membership.requireMember(sender, conversation);
                })
                .thenCompose(members -> claim(sender, send).thenCompose(claimed -> persist(sender, send, members)));
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
        return sequencer.append(draft, members).thenApply(placed -> {
            fanOut(placed);
            LogEntry entry = placed.entry();
            return new Frame.Sent(send.replyRef(), send.id(), entry.conversation(), entry.convSeq(),
                    placed.seqs().get(sender), entry.ts());
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
