package dev.pigeon.homing;

import dev.pigeon.homing.StreamChain.Segment;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.storage.StreamStart;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamChainTest {
    private static final long OPEN = Long.MAX_VALUE;

    @Test
    void theFirstEpochIsThePlainIdAndLaterOnesCarryTheirEpoch() {
        assertThat(StreamChain.streamOf("alice", 1)).isEqualTo("alice");
        assertThat(StreamChain.streamOf("alice", 2)).isEqualTo("alice~2");
        assertThat(StreamChain.streamOf("g:team", 12)).isEqualTo("g:team~12");
    }

    @Test
    void aSequenceThatNeverMovedIsOneOpenStream() {
        StreamChain chain = StreamChain.of("alice", 1, List.of());

        assertThat(chain.segments()).containsExactly(new Segment(1, "alice", 1, OPEN));
        assertThat(chain.current()).isEqualTo(new Segment(1, "alice", 1, OPEN));
    }

    @Test
    void eachEpochHoldsFromItsStartUpToTheNextOnesStart() {
        StreamChain chain = StreamChain.of("g:team", 3, List.of(new StreamStart(2, 6), new StreamStart(3, 9)));

        assertThat(chain.segments()).containsExactly(
                new Segment(1, "g:team", 1, 5),
                new Segment(2, "g:team~2", 6, 8),
                new Segment(3, "g:team~3", 9, OPEN));
        assertThat(chain.current().stream()).isEqualTo("g:team~3");
    }

    @Test
    void startsOfEpochsAfterTheCurrentOneAreNotPartOfTheChain() {
        StreamChain chain = StreamChain.of("alice", 2, List.of(new StreamStart(2, 6), new StreamStart(3, 9)));

        assertThat(chain.segments()).containsExactly(new Segment(1, "alice", 1, 5), new Segment(2, "alice~2", 6, OPEN));
    }

    @Test
    void anEpochWithoutARecordedStartBelowTheCurrentOneHoldsNothing() {
        StreamChain chain = StreamChain.of("alice", 3, List.of(new StreamStart(3, 9)));

        assertThat(chain.segments()).containsExactly(
                new Segment(1, "alice", 1, 8),
                new Segment(2, "alice~2", 9, 8),
                new Segment(3, "alice~3", 9, OPEN));
        Segment cutShort = chain.segments().get(1);
        assertThat(List.of(8L, 9L)).noneMatch(cutShort::holds);
    }

    @Test
    void aNewEpochStartingAtOneLeavesTheFirstEmpty() {
        StreamChain chain = StreamChain.of("alice", 2, List.of(new StreamStart(2, 1)));

        assertThat(chain.segments()).containsExactly(new Segment(1, "alice", 1, 0), new Segment(2, "alice~2", 1, OPEN));
        assertThat(chain.segments().get(0).holds(1)).isFalse();
    }

    @Test
    void theCurrentEpochMustHaveARecordedStart() {
        assertThatThrownBy(() -> StreamChain.of("alice", 2, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoch 2");
        assertThatThrownBy(() -> StreamChain.of("alice", 3, List.of(new StreamStart(2, 4))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoch 3");
    }

    @Test
    void aSegmentMapsItsStreamsPositionsToGlobalOnes() {
        Segment segment = new Segment(2, "g:team~2", 6, 8);

        assertThat(segment.global(1)).isEqualTo(6);
        assertThat(segment.global(3)).isEqualTo(8);
        assertThat(segment.local(8)).isEqualTo(3);
        assertThat(List.of(6L, 7L, 8L)).allMatch(segment::holds);
        assertThat(List.of(5L, 9L)).noneMatch(segment::holds);
        assertThat(segment.toGlobal("g:team", new LogEntry("g:team~2", 2, "bob", "m7", "hi", null, 70)))
                .isEqualTo(new LogEntry("g:team", 7, "bob", "m7", "hi", null, 70));
    }

    @Test
    void aChainHasAtLeastItsFirstEpoch() {
        assertThatThrownBy(() -> new StreamChain("alice", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
