package dev.pigeon.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigTest {

    @Test
    void defaultsMatchTheDocumentedOnes() {
        GatewayConfig config = GatewayConfig.builder().build();
        assertThat(config.nodeId()).isEqualTo("node-1");
        assertThat(config.region()).isEqualTo("local");
        assertThat(config.bindHost()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.adminPort()).isEqualTo(9090);
        assertThat(config.devTokens()).isFalse();
        assertThat(config.maxFrameBytes()).isEqualTo(1 << 20);
        assertThat(config.maxHttpBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.sessionsPerUser()).isEqualTo(16);
        assertThat(config.wsPingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.wsIdleTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(config.httpRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.sseKeepalive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sseMaxLifetime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.sseRetry()).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.pollDefaultWait()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.pollMaxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.outboundQueueLimit()).isEqualTo(1024);
        assertThat(config.writeBufferLowWater()).isEqualTo(32 * 1024);
        assertThat(config.writeBufferHighWater()).isEqualTo(64 * 1024);
        assertThat(config.corsOrigins()).containsExactly("*");
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.jwtSecret()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(config.adminToken()).isNotEqualTo(config.jwtSecret());
    }

    @Test
    void toBuilderKeepsEverything() {
        GatewayConfig config = GatewayConfig.builder().port(1).corsOrigins(List.of("https://a.example")).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void refusesInconsistentValues() {
        assertThatThrownBy(() -> GatewayConfig.builder().port(70_000).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().sessionsPerUser(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().writeBufferLowWater(100).writeBufferHighWater(50).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().pollDefaultWait(Duration.ofSeconds(40)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().wsIdleTimeout(Duration.ofSeconds(10)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().jwtSecret(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().corsOrigins(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayConfig.builder().sseKeepalive(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
