package dev.pigeon.ops.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void aTakenPortIsRefusedBeforeAnyServiceStarts() throws IOException {
        Path script = dir.resolve("services");
        Files.writeString(script, "#!/usr/bin/env bash\ntouch \"$3/$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalCluster cluster = new LocalCluster(new LocalCluster.Plan(2, dir, taken.getLocalPort(),
                    taken.getLocalPort() + 1000, "pigeon", "pigeon", "secret", "admin", script));

            assertThatThrownBy(cluster::start)
                    .hasMessage("port " + taken.getLocalPort() + " (node-1's public port: pick another --base-port) "
                            + "is taken by another program");
            cluster.stop();
        }
        assertThat(dir.resolve("up")).doesNotExist();
        assertThat(dir.resolve("down")).doesNotExist();
    }

    @Test
    void aPlanNeedsANodeAndPortsThatFit() {
        assertThatThrownBy(() -> new LocalCluster.Plan(0, dir, 8080, 9090, "pigeon", "pigeon", "s", "a", dir))
                .hasMessageContaining("--nodes must be at least 1");
        assertThatThrownBy(() -> new LocalCluster.Plan(3, dir, 65_534, 9090, "pigeon", "pigeon", "s", "a", dir))
                .hasMessageContaining("do not fit below 65536");
    }
}
