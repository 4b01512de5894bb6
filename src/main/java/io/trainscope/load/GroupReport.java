package io.trainscope.load;

import java.util.Map;

/**
 * What one process's viewers received in the {@link Window}. Per-viewer arrays cover its healthy (not slow)
 * viewers that connected, in one order, so that the tool can rank every viewer of the test against the best.
 *
 * @param updates          each healthy viewer's {@code metrics} messages of the followed run
 * @param bytes            each healthy viewer's payload bytes, every data frame counted
 * @param catchUps         each healthy viewer's {@code history} messages with {@code purpose: catchUp} (sent
 *                         after the server skipped it for a full socket)
 * @param latency          ms from each update's {@code time} to its arrival, every healthy viewer's
 * @param joinMs           for each healthy viewer that got it, ms from its handshake's start to the end of its join
 *                         history (the run's points so far, before any live update)
 * @param closed           healthy viewers whose connection ended during the test, by close code and reason
 * @param slow             what the slow viewers saw
 * @param cpuWindowSeconds this process's CPU time (all threads) during the window
 * @param cpuTotalSeconds  its CPU time since it started, connecting included
 * @param heapUsedBytes    its heap in use at the end
 */
record GroupReport(long[] updates, long[] bytes, long[] catchUps, Histogram.Counts latency, Histogram.Counts joinMs,
                   Map<String, Integer> closed, Slow slow, double cpuWindowSeconds, double cpuTotalSeconds,
                   long heapUsedBytes) {

    /**
     * Viewers that stopped reading as soon as they had connected, and read again only after the window, for a
     * short drain, to see what the server had left them: the backlog, a catch-up, or a close frame.
     *
     * @param connected    slow viewers that connected
     * @param bytesDrained payload bytes they read in the drain: what the server and the kernel's buffers held for them
     * @param outcome      how each ended: {@code open}, or its close code and reason
     */
    record Slow(int connected, long bytesDrained, Map<String, Integer> outcome) {
    }
}
