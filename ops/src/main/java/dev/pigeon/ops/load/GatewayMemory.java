package dev.pigeon.ops.load;

/** The gateway's resident memory before the sessions connected and once they were all open. */
record GatewayMemory(long pid, long beforeBytes, long afterBytes, int openSessions) {

    double bytesPerSession() {
        return openSessions == 0 ? 0 : (double) (afterBytes - beforeBytes) / openSessions;
    }
}
