package dev.pigeon.storage.cassandra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidTextTest {

    @Test
    void validUnicodeIncludingPairsAndNulPasses() {
        String text = "héllo 👋🏽 \u0000 𝄞";

        assertThat(ValidText.check("body", text)).isSameAs(text);
        assertThat(ValidText.checkOptional("format", null)).isNull();
    }

    @Test
    void unpairedSurrogatesAnywhereAreRefused() {
        for (String bad : new String[]{"\uD83D", "a\uDC00b", "end \uD83D", "\uDC00\uD83D"}) {
            assertThatThrownBy(() -> ValidText.check("body", bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body is not valid Unicode");
        }
        assertThatThrownBy(() -> ValidText.check("user", null)).isInstanceOf(NullPointerException.class);
    }
}
