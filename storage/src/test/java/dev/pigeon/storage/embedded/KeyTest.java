package dev.pigeon.storage.embedded;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyTest {

    @Test
    void positionsSortNumericallyAsBytes() {
        byte[] partition = Key.of("conversation").bytes();
        List<Long> positions = List.of(1L, 2L, 255L, 256L, 65_536L, (1L << 31) + 1, 1L << 40, Long.MAX_VALUE);

        for (int i = 1; i < positions.size(); i++) {
            assertThat(Arrays.compareUnsigned(Key.at(partition, positions.get(i - 1)), Key.at(partition, positions.get(i))))
                    .isNegative();
        }
    }

    @Test
    void aPositionKeyBelongsOnlyToItsOwnPartition() {
        byte[] a = Key.of("a").bytes();
        byte[] ab = Key.of("ab").bytes();

        assertThat(Key.isPositionIn(Key.at(a, 7), a)).isTrue();
        assertThat(Key.isPositionIn(Key.at(ab, 7), a)).isFalse();
        assertThat(Key.isPositionIn(Key.at(a, 7), ab)).isFalse();
        assertThat(Key.positionOf(Key.at(ab, 7))).isEqualTo(7);
    }

    @Test
    void partsAreDelimitedByTheirLength() {
        assertThat(Key.of("ab").then("c").bytes()).isNotEqualTo(Key.of("a").then("bc").bytes());
    }

    @Test
    void positionsRoundTrip() {
        assertThat(Key.decodePosition(Key.encodePosition(0x0102030405060708L))).isEqualTo(0x0102030405060708L);
        assertThatThrownBy(() -> Key.decodePosition(new byte[3])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oversizedOrInvalidPartsAreRefused() {
        assertThatThrownBy(() -> Key.of("x".repeat(70_000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Key.of("\uDC00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Key.of(null)).isInstanceOf(NullPointerException.class);
    }
}
