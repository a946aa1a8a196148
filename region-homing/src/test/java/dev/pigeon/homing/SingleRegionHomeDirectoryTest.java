package dev.pigeon.homing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SingleRegionHomeDirectoryTest {
    private final SingleRegionHomeDirectory homes = new SingleRegionHomeDirectory("eu");

    @Test
    void everyUserAndConversationIsHomedLocallyAtEpochOne() {
        Home user = homes.homeOfUser("alice").toCompletableFuture().join();
        Home conversation = homes.homeOfConversation("g:team").toCompletableFuture().join();

        assertThat(homes.localRegion()).isEqualTo("eu");
        assertThat(user).isEqualTo(new Home("eu", 1));
        assertThat(conversation).isEqualTo(user);
        assertThat(homes.isLocal(user)).isTrue();
        assertThat(homes.isLocal(new Home("us", 1))).isFalse();
    }
}
