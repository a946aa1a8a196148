package dev.pigeon.ops.load;

import java.io.IOException;
import java.util.List;

/**
 * CPU use over an interval: the whole machine's, and how much of it the gateway and the load
 * generator took; the rest is everything else on the machine, which shares its cores with both.
 *
 * @param machineBusyPercent share of all cores busy, 100 meaning every core
 * @param gateways how many gateway processes were measured; 0 when none was found
 * @param gatewayCores cores' worth of CPU the gateways used together; negative when unknown
 * @param generatorCores cores' worth of CPU the generator's processes used
 */
record CpuUse(double machineBusyPercent, int cores, int gateways, double gatewayCores, double generatorCores) {

    /** Cores' worth of CPU used by neither the gateway nor the generator. */
    double otherCores() {
        double busyCores = machineBusyPercent / 100 * cores;
        return Math.max(0, busyCores - Math.max(0, gatewayCores) - generatorCores);
    }

    /** A reading to measure from. */
    record Sample(CpuTimes machine, int gateways, long gatewayTicks, long generatorTicks) {

        static Sample take(Gateways gateways, List<LinuxProcess> generator) throws IOException {
            long generatorTicks = 0;
            for (LinuxProcess process : generator) {
                generatorTicks += process.cpuTicks();
            }
            return new Sample(CpuTimes.read(), gateways.size(), gateways.isEmpty() ? -1 : gateways.cpuTicks(),
                    generatorTicks);
        }

        CpuUse since(Sample earlier) {
            double gatewayCores = gatewayTicks < 0 || earlier.gatewayTicks < 0 ? -1
                    : machine.coresUsedSince(earlier.machine, gatewayTicks - earlier.gatewayTicks);
            return new CpuUse(machine.busyPercentSince(earlier.machine), machine.cores(), gateways, gatewayCores,
                    machine.coresUsedSince(earlier.machine, generatorTicks - earlier.generatorTicks));
        }
    }
}
