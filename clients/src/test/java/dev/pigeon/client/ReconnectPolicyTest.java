package dev.pigeon.client;

import dev.pigeon.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Backoff, transport fallback and the inbox sequencer: the rules the client reconnects and resumes by. */
class ReconnectPolicyTest {

    @Test
    void backoffDoublesItsBoundUpToTheCapAndStartsOverOnReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound);

        assertThat(List.of(backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()))
                .extracting(Duration::toMillis).containsExactly(100L, 200L, 400L, 800L, 1000L);
        backoff.reset();
        assertThat(backoff.next().toMillis()).isEqualTo(100);
    }

    @Test
    void backoffIsJitteredBelowItsBound() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound / 2);

        assertThat(backoff.next().toMillis()).isEqualTo(50);
    }

    @Test
    void aRefusedTransportIsLeftAtOnce() {
        TransportLadder ladder = ladder();

        ladder.connectFailed(true);

        assertThat(ladder.current()).isEqualTo(TransportKind.SSE);
        assertThat(ladder.belowBest()).isTrue();
    }

    @Test
    void failuresToConnectStepDownOnlyAfterSeveralInARow() {
        TransportLadder ladder = ladder();

        ladder.connectFailed(false);
        ladder.connectFailed(false);
        assertThat(ladder.current()).isEqualTo(TransportKind.WEBSOCKET);
        ladder.connectFailed(false);
        assertThat(ladder.current()).isEqualTo(TransportKind.SSE);
    }

    @Test
    void repeatedCutsWithinTheWindowStepDownButSpreadOutOnesDoNot() {
        TransportLadder ladder = ladder();

        ladder.cut(0);
        ladder.cut(20_000);
        ladder.cut(40_000);
        assertThat(ladder.current()).isEqualTo(TransportKind.WEBSOCKET);
        ladder.cut(41_000);
        ladder.cut(42_000);
        assertThat(ladder.current()).isEqualTo(TransportKind.SSE);
    }

    @Test
    void pastTheLastTransportTheLadderStartsOverAndCanGoBackToTheBest() {
        TransportLadder ladder = ladder();
        ladder.connectFailed(true);
        ladder.connectFailed(true);
        assertThat(ladder.current()).isEqualTo(TransportKind.LONG_POLL);
        ladder.connectFailed(true);
        assertThat(ladder.current()).isEqualTo(TransportKind.WEBSOCKET);
        ladder.connectFailed(true);
        ladder.retryBest();
        assertThat(ladder.current()).isEqualTo(TransportKind.WEBSOCKET);
    }

    @Test
    void theSequencerDropsRepeatsAndHoldsEntriesPastAHole() {
        InboxSequencer inbox = new InboxSequencer(2L);

        assertThat(inbox.offer(msg(2))).isEmpty();
        assertThat(inbox.offer(msg(5))).isEmpty();
        assertThat(inbox.holeEnd()).hasValue(4);
        assertThat(inbox.offer(msg(3))).extracting(Frame.Msg::seq).containsExactly(3L);
        assertThat(inbox.offer(msg(5))).isEmpty();
        assertThat(inbox.offer(msg(4))).extracting(Frame.Msg::seq).containsExactly(4L, 5L);
        assertThat(inbox.holeEnd()).isEmpty();
        assertThat(inbox.last()).isEqualTo(5);
    }

    private static TransportLadder ladder() {
        return new TransportLadder(List.of(TransportKind.values()), 3, Duration.ofSeconds(30));
    }

    private static Frame.Msg msg(long seq) {
        return new Frame.Msg(seq, "dm:a:b", seq, "a", "id" + seq, "body", null, seq);
    }
}
