package dev.pigeon.ops.load;

/**
 * The gateways' resident memory, summed over every node measured, before the sessions connected
 * and once they were all open; {@code processes} names them ({@link Gateways#describe}).
 */
record GatewayMemory(String processes, int nodes, long beforeBytes, long afterBytes, int openSessions) {

    double bytesPerSession() {
        return openSessions == 0 ? 0 : (double) (afterBytes - beforeBytes) / openSessions;
    }
}
