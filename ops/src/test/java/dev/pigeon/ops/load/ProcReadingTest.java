package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcReadingTest {

    @Test
    void readsResidentMemoryFromProcStatus() {
        String status = """
                Name:\tjava
                VmPeak:\t 5000000 kB
                VmRSS:\t  204800 kB
                RssAnon:\t  150000 kB
                Threads:\t42
                """;

        assertThat(LinuxProcess.parseResidentBytes(status)).isEqualTo(204_800L * 1024);
    }

    @Test
    void aStatusWithoutResidentMemoryIsAnError() {
        assertThatThrownBy(() -> LinuxProcess.parseResidentBytes("Name:\tzombie\nState:\tZ (zombie)\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 40 0 100 "
                + "5000000 50000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(LinuxProcess.parseCpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void readsTheOwnProcessLikeAGateway() throws IOException {
        LinuxProcess self = new LinuxProcess(ProcessHandle.current().pid());

        assertThat(self.residentBytes()).isPositive();
        assertThat(self.cpuTicks()).isNotNegative();
    }

    @Test
    void findsTheListeningSocketOfAPort() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 81234 1 0",
                "   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 81299 1 0",
                "   2: 00000000:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 90001 1 0");

        assertThat(ListeningSockets.inodeListeningOn(table, 8080)).hasValue(81234);
        assertThat(ListeningSockets.inodeListeningOn(table, 9090)).hasValue(90001);
        assertThat(ListeningSockets.inodeListeningOn(table, 40000)).isEmpty();
    }

    @Test
    void findsTheProcessListeningOnAPort() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = ((InetSocketAddress) server.getLocalSocketAddress()).getPort();

            assertThat(LinuxProcess.listeningOn(port)).hasValueSatisfying(
                    found -> assertThat(found.pid()).isEqualTo(ProcessHandle.current().pid()));
        }
    }

    @Test
    void measuresMachineCpuBetweenTwoReadings() {
        CpuTimes before = CpuTimes.parse(List.of(
                "cpu  1000 0 500 8000 100 0 0 0 0 0",
                "cpu0 500 0 250 4000 50 0 0 0 0 0",
                "cpu1 500 0 250 4000 50 0 0 0 0 0",
                "intr 1 2 3"));
        CpuTimes after = CpuTimes.parse(List.of(
                "cpu  1150 0 550 8040 110 0 0 0 0 0",
                "cpu0 575 0 275 4020 55 0 0 0 0 0",
                "cpu1 575 0 275 4020 55 0 0 0 0 0"));

        assertThat(after.cores()).isEqualTo(2);
        // busy grew by 200 ticks, total by 250
        assertThat(after.busyPercentSince(before)).isEqualTo(80.0);
        // a process that used 100 of the 250 ticks spread over 2 cores used 0.8 of a core
        assertThat(after.coresUsedSince(before, 100)).isEqualTo(0.8);
    }
}
