package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCreatorTest {

    @Test
    void findsTheGroupsEndpointBesideTheWebSocket() {
        assertThat(GroupCreator.groupsEndpoint(URI.create("ws://127.0.0.1:8081/v1/ws")))
                .isEqualTo(URI.create("http://127.0.0.1:8081/v1/groups"));
        assertThat(GroupCreator.groupsEndpoint(URI.create("ws://chat.example/v1/ws?since=4")))
                .isEqualTo(URI.create("http://chat.example/v1/groups"));
    }

    @Test
    void keepsAPathPrefixAProxyServesPigeonUnder() {
        assertThat(GroupCreator.groupsEndpoint(URI.create("ws://10.0.0.5:80/pigeon/eu/v1/ws")))
                .isEqualTo(URI.create("http://10.0.0.5:80/pigeon/eu/v1/groups"));
    }

    @Test
    void usesTheProtocolsPathWhenTheUrlHasAnotherOne() {
        assertThat(GroupCreator.groupsEndpoint(URI.create("ws://127.0.0.1:9000/socket")))
                .isEqualTo(URI.create("http://127.0.0.1:9000/v1/groups"));
    }
}
