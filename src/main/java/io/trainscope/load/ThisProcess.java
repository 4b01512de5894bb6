package io.trainscope.load;

import java.lang.management.ManagementFactory;

/** What the JVM says of its own process: each load worker reports its CPU, so that client cost is told from the server's. */
final class ThisProcess {

    private ThisProcess() {
    }

    /** CPU time of every thread of this process, or NaN where the JVM does not tell. */
    static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    /** The most descriptors this process may hold (each socket is one), or -1 where the platform does not say. */
    static long openFilesLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return -1;
    }

    static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
