package dev.pigeon.ops.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypesTest {

    @Test
    void durationsReadEveryUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse(" 15 S ")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("0")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "1.5s", "-1s", "15 seconds", "s", "1d", "PT15S", "99999999999999s"})
    void durationsWithoutAWholeNumberAndAUnitAreRefused(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }

    @Test
    void durationsAreWrittenInTheirShortestExactForm() {
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(Durations.format(Duration.ofMillis(2000))).isEqualTo("2s");
        for (String text : List.of("500ms", "15s", "90s", "2m", "1h", "1500ms")) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
    }

    @Test
    void sizesReadBytesAndBinaryUnits() {
        assertThat(Sizes.parse("512")).isEqualTo(512);
        assertThat(Sizes.parse("512B")).isEqualTo(512);
        assertThat(Sizes.parse("64KiB")).isEqualTo(64 * 1024);
        assertThat(Sizes.parse("1MiB")).isEqualTo(1024 * 1024);
        assertThat(Sizes.parse("1 mib")).isEqualTo(1024 * 1024);
        assertThat(Sizes.parse("1GiB")).isEqualTo(1024 * 1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "KiB", "1.5MiB", "-1", "64KB", "64k", "1 megabyte"})
    void sizesWithoutAWholeNumberOrWithAnUnknownUnitAreRefused(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a size");
    }

    @Test
    void sizesBeyondWhatABufferHoldsAreRefused() {
        assertThatThrownBy(() -> Sizes.parse("2GiB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Sizes.parse("9999999999")).hasMessageContaining("too large");
    }

    @Test
    void sizesAreWrittenInTheLargestExactUnit() {
        assertThat(Sizes.format(65536)).isEqualTo("64KiB");
        assertThat(Sizes.format(1 << 20)).isEqualTo("1MiB");
        assertThat(Sizes.format(1000)).isEqualTo("1000");
    }

    @Test
    void portsListsAndNumbersAreChecked() {
        assertThat(ValueTypes.PORT.parse("0")).isZero();
        assertThat(ValueTypes.PORT.parse("65535")).isEqualTo(65535);
        assertThatThrownBy(() -> ValueTypes.PORT.parse("65536")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> ValueTypes.PORT.parse("http")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ValueTypes.POSITIVE_INT.parse("0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ValueTypes.POSITIVE_DURATION.parse("0s")).hasMessageContaining("longer than 0");
        assertThatThrownBy(() -> ValueTypes.SIZE.parse("0")).hasMessageContaining("at least 1 byte");
        assertThatThrownBy(() -> ValueTypes.NON_EMPTY_TEXT.parse("  ")).hasMessageContaining("must not be empty");
        assertThat(ValueTypes.LIST.parse(" https://a.example , https://b.example,, "))
                .containsExactly("https://a.example", "https://b.example");
        assertThat(ValueTypes.BOOLEAN.parse("off")).isFalse();
        assertThatThrownBy(() -> ValueTypes.BOOLEAN.parse("maybe")).hasMessageContaining("not a boolean");
    }

    @Test
    void serverAddressesAreChecked() {
        assertThat(ValueTypes.REDIS_URL.parse(" redis://127.0.0.1:6390 ")).isEqualTo("redis://127.0.0.1:6390");
        assertThat(ValueTypes.REDIS_URL.parse("rediss://redis.example:6380")).isEqualTo("rediss://redis.example:6380");
        assertThat(ValueTypes.HOST_PORT.parse("cassandra-1.example:9042")).isEqualTo("cassandra-1.example:9042");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1:6390", "redis://127.0.0.1", "http://127.0.0.1:6390", "redis://a b:1",
            "redis://host:port", "redis://host:6390/0"})
    void aRedisUrlNeedsSchemeHostAndPort(String text) {
        assertThatThrownBy(() -> ValueTypes.REDIS_URL.parse(text)).hasMessageContaining("is not a Redis URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cassandra", "cassandra:", ":9042", "host:port", "a b:9042", "host:123456"})
    void anAddressNeedsHostAndPort(String text) {
        assertThatThrownBy(() -> ValueTypes.HOST_PORT.parse(text)).hasMessageContaining("is not an address");
    }
}
