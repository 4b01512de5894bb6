package io.trainscope.load;

import java.util.Map;

/**
 * Everything one load test measured, as {@link ReportText} prints it and {@code --json} writes it. Figures the
 * server did not give (a {@code /metrics} read that timed out) are NaN.
 *
 * @param url              the WebSocket's URL, without the token
 * @param runId            the run followed
 * @param viewers          viewers asked for, slow ones included
 * @param slow             of those, slow
 * @param processes        processes they ran in (0: the tool's own)
 * @param windowSeconds    the measuring window
 * @param limits           descriptor and port limits in force
 * @param connect          how the viewers connected
 * @param trainingBefore   the run's rate before any viewer connected
 * @param trainingDuring   its rate during the window
 * @param trainingAfter    its rate once the viewers had gone: with {@code trainingBefore}, the machine's drift
 * @param latency          {@code time} to arrival of every healthy viewer's live updates
 * @param updatesPerSecond live updates a healthy viewer received a second, across viewers, and the delivery spread
 * @param bytesPerSecond   payload bytes a healthy viewer received a second, across viewers
 * @param bytesPerSecondAll the same, all healthy viewers together
 * @param catchUps         catch-up histories the healthy viewers received (each after the server skipped them)
 * @param closed           healthy viewers whose connection ended during the test, by code and reason
 * @param slowViewers      what the slow viewers saw
 * @param server           the server's own figures, from {@code /metrics}
 * @param clients          what the viewers' processes cost
 */
public record LoadReport(String url, String runId, int viewers, int slow, int processes, double windowSeconds,
                         Limits limits, Connect connect, Training trainingBefore, Training trainingDuring,
                         Training trainingAfter, Latency latency, Spread updatesPerSecond, Spread bytesPerSecond, double bytesPerSecondAll,
                         long catchUps, Map<String, Integer> closed, Slow slowViewers, ServerSide server,
                         Clients clients) {

    /**
     * @param openFiles      this process's descriptor limit (workers inherit it); -1 unknown
     * @param localPorts     the kernel's ephemeral port range, "" when unknown
     * @param serverMaxFiles the server's descriptor limit
     */
    public record Limits(long openFiles, String localPorts, double serverMaxFiles) {
    }

    /**
     * @param seconds     from the first handshake begun to the last completed, all processes together
     * @param handshakeP50 the median handshake, ms (-1 when none succeeded)
     * @param joined      healthy viewers that received their join history (the run so far, before live updates)
     * @param joinP50     the median time from a handshake's start to the end of its join history, ms
     * @param failures    the viewers that did not connect, by reason
     */
    public record Connect(int attempted, int connected, double seconds, long handshakeP50, long handshakeP99,
                          long handshakeMax, long joined, long joinP50, long joinP99, long joinMax,
                          Map<String, Integer> failures) {
    }

    /**
     * @param itPerSec       iterations over training time between the first and last read of the run
     * @param itPerSecMedian the median of the server's own {@code itPerSec} (its last half second) over the reads
     * @param samples        how many reads
     */
    public record Training(double itPerSec, double itPerSecMedian, int samples) {

        static final Training NONE = new Training(Double.NaN, Double.NaN, 0);
    }

    /** Milliseconds, nearest-rank percentiles; -1 when there were no updates. */
    public record Latency(long updates, long p50, long p90, long p99, long max) {
    }

    /**
     * @param droppedByServer live updates the server skipped for full sockets in the window (all viewers')
     * @param bytesDrained    payload bytes the slow viewers read once reading again after the window: what the
     *                        server and the kernel's buffers had kept for them
     * @param outcome         {@code open}, or {@code closed CODE REASON}, with counts
     */
    public record Slow(int connected, double droppedByServer, long bytesDrained, Map<String, Integer> outcome) {
    }

    /**
     * @param heapUsedBytes  heap in use at the end of the window
     * @param heapPeakBytes  the most seen in any read during the window
     * @param heapMaxBytes   the heap's limit
     * @param threads        live threads at the end
     * @param threadsPeak    the most seen
     * @param cpuCores       the server process's CPU over the window, in cores
     * @param openFiles      descriptors open at the end
     * @param messagesSent   messages written to viewers in the window
     */
    public record ServerSide(double heapUsedBytes, double heapPeakBytes, double heapMaxBytes, double threads,
                             double threadsPeak, double cpuCores, double openFiles, double messagesSent) {
    }

    /**
     * @param cpuCores          all viewer processes together, over the window
     * @param cpuCoresByProcess each one's
     * @param heapUsedByProcess each one's heap in use at its report
     * @param cpuSecondsTotal   all of them since they started, connecting included
     */
    public record Clients(double cpuCores, double[] cpuCoresByProcess, long[] heapUsedByProcess,
                          double cpuSecondsTotal) {
    }

    /** The training rate during the window as a fraction of the rate before viewers. */
    public double trainingRatio() {
        return trainingDuring.itPerSec() / trainingBefore.itPerSec();
    }
}
