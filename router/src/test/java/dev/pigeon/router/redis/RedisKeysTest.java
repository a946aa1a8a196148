package dev.pigeon.router.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisKeysTest {

    @Test
    void everyKeyLivesUnderThePrefix() {
        RedisKeys keys = RedisKeys.of("eu-1");

        assertThat(keys.presence("alice")).isEqualTo("pigeon:eu-1:presence:alice");
        assertThat(keys.node("node-a")).isEqualTo("pigeon:eu-1:node:node-a");
        assertThat(keys.nodes()).isEqualTo("pigeon:eu-1:nodes");
        assertThat(keys.bus("node-a")).isEqualTo("pigeon:eu-1:bus:node-a");
        assertThat(keys.everything()).isEqualTo("pigeon:eu-1:*");
    }

    @Test
    void everyNodesUsersShareOneClusterSlot() {
        RedisKeys keys = RedisKeys.of("eu-1");

        assertThat(keys.nodeUsers("node-a")).isEqualTo("pigeon:eu-1:users:{eu-1}:node-a");
        assertThat(keys.nodeUsers("node-b")).startsWith("pigeon:eu-1:users:{eu-1}:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "{tag}", "a*", "with space",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aPrefixThatCouldCollideOrMatchMoreIsRefused(String prefix) {
        assertThatThrownBy(() -> RedisKeys.of(prefix)).isInstanceOf(IllegalArgumentException.class);
    }
}
