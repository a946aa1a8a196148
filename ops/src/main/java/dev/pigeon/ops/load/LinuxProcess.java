package dev.pigeon.ops.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** A process as {@code /proc} shows it: its resident memory and CPU time (the gateway, the generator). */
final class LinuxProcess {
    private static final Path PROC = Path.of("/proc");
    private static final List<Path> LISTENING_TABLES = List.of(PROC.resolve("net/tcp"), PROC.resolve("net/tcp6"));

    private final long pid;

    LinuxProcess(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** The process listening on TCP {@code port}, found through {@code /proc/net/tcp*} and the processes' sockets. */
    static Optional<LinuxProcess> listeningOn(int port) throws IOException {
        for (Path table : LISTENING_TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            OptionalLong inode = ListeningSockets.inodeListeningOn(Files.readAllLines(table), port);
            if (inode.isPresent()) {
                return owningProcess(inode.getAsLong()).map(LinuxProcess::new);
            }
        }
        return Optional.empty();
    }

    /** Resident memory (VmRSS) in bytes. */
    long residentBytes() throws IOException {
        return parseResidentBytes(Files.readString(PROC.resolve(pid + "/status")));
    }

    /** User plus system CPU time in clock ticks, the unit of {@code /proc/stat}. */
    long cpuTicks() throws IOException {
        return parseCpuTicks(Files.readString(PROC.resolve(pid + "/stat")));
    }

    static long parseResidentBytes(String status) {
        return status.lines()
                .filter(line -> line.startsWith("VmRSS:"))
                .findFirst()
                .map(line -> {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    if (parts.length != 2 || !parts[1].equals("kB")) {
                        throw new IllegalArgumentException("unexpected VmRSS line: " + line);
                    }
                    return Long.parseLong(parts[0]) * 1024;
                })
                .orElseThrow(() -> new IllegalArgumentException("no VmRSS line: not a live process?"));
    }

    static long parseCpuTicks(String stat) {
        // the command name in parentheses may hold spaces; fields are counted after it
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Optional<Long> owningProcess(long inode) throws IOException {
        String socket = "socket:[" + inode + "]";
        try (Stream<Path> processes = Files.list(PROC)) {
            return processes
                    .filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(dir -> holds(dir, socket))
                    .map(dir -> Long.parseLong(dir.getFileName().toString()))
                    .findFirst();
        }
    }

    private static boolean holds(Path process, String socket) {
        try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socket);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | SecurityException e) {
            // another user's process, or one that just ended
            return false;
        }
    }
}
