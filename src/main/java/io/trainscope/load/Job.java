package io.trainscope.load;

/**
 * What one process of viewers is asked to do, sent to a {@code load-worker} as its first line (not on its command
 * line, where a token in the URL would show in {@code ps}).
 *
 * @param host             the server's loopback address
 * @param port             its port
 * @param uri              the WebSocket path with its query ({@code /ws?token=…&encoding=…})
 * @param runId            the run whose join history and updates count
 * @param viewers          viewers to connect, slow ones included
 * @param slow             of those, how many stop reading once connected
 * @param connectTimeoutMs the bound on the whole connect phase: viewers not connected by then count as timed out
 * @param concurrency      handshakes in flight at once
 */
record Job(String host, int port, String uri, String runId, int viewers, int slow, long connectTimeoutMs,
           int concurrency) {

    Job {
        if (viewers < 0 || slow < 0 || slow > viewers || concurrency < 1 || connectTimeoutMs < 1) {
            throw new IllegalArgumentException("a job needs 0 <= slow <= viewers and a positive concurrency and timeout");
        }
    }
}
