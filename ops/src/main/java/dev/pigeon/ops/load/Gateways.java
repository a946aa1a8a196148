package dev.pigeon.ops.load;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway processes a run measures, one per node: given by pid, or found as the processes
 * listening on the ports the URLs name. Their memory and CPU are summed: on one machine the nodes
 * of a cluster share its cores.
 */
final class Gateways {
    private final List<LinuxProcess> processes;

    private Gateways(List<LinuxProcess> processes) {
        this.processes = List.copyOf(processes);
    }

    static Gateways ofPids(List<Long> pids) {
        return new Gateways(pids.stream().distinct().map(LinuxProcess::new).toList());
    }

    /** The processes listening on the URLs' ports; a URL whose process is not found is left out. */
    static Gateways listeningOn(List<URI> urls) throws IOException {
        Set<Long> pids = new LinkedHashSet<>();
        for (URI url : urls) {
            Optional<LinuxProcess> found = LinuxProcess.listeningOn(url.getPort() < 0 ? 80 : url.getPort());
            if (found.isPresent()) {
                pids.add(found.get().pid());
            }
        }
        return ofPids(new ArrayList<>(pids));
    }

    boolean isEmpty() {
        return processes.isEmpty();
    }

    int size() {
        return processes.size();
    }

    /** {@code pid 42}, or {@code pids 42, 43, 44}. */
    String describe() {
        return (processes.size() == 1 ? "pid " : "pids ")
                + processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
    }

    /** Resident memory of all of them together, in bytes. */
    long residentBytes() throws IOException {
        long sum = 0;
        for (LinuxProcess process : processes) {
            sum += process.residentBytes();
        }
        return sum;
    }

    /** CPU time of all of them together, in clock ticks. */
    long cpuTicks() throws IOException {
        long sum = 0;
        for (LinuxProcess process : processes) {
            sum += process.cpuTicks();
        }
        return sum;
    }
}
