package io.trainscope.load;

/**
 * One load test, as asked on the command line; every figure bounded, so that the tool itself is (it holds a
 * socket a viewer and stops by itself).
 *
 * @param target            the server, on loopback
 * @param viewers           WebSocket viewers, slow ones included
 * @param slow              of those, how many stop reading once connected
 * @param processes         processes the viewers are spread over; 0 runs them in this one
 * @param durationSeconds   the measuring window
 * @param warmupSeconds     from the last connection to the window
 * @param baselineSeconds   the training rate is read over this long before any viewer connects, and after they left
 * @param connectTimeoutSeconds the bound on connecting all viewers
 * @param connectConcurrency handshakes in flight at once, all processes together
 * @param runId             the run to follow; null for the server's running run (or the one started)
 * @param startSpec         a run spec (JSON) to start and follow, stopped at the end; null to follow a running one
 */
public record LoadPlan(Target target, int viewers, int slow, int processes, int durationSeconds, int warmupSeconds,
                       int baselineSeconds, int connectTimeoutSeconds, int connectConcurrency, String runId,
                       String startSpec) {

    public static final int MAX_VIEWERS = 50_000;
    public static final int MAX_PROCESSES = 32;
    public static final int MAX_DURATION_SECONDS = 600;
    public static final int MAX_WAIT_SECONDS = 120;
    public static final int MAX_CONNECT_TIMEOUT_SECONDS = 600;
    public static final int DEFAULT_DURATION_SECONDS = 15;
    public static final int DEFAULT_WARMUP_SECONDS = 3;
    public static final int DEFAULT_BASELINE_SECONDS = 5;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 120;
    /** Handshakes in flight: well under the server's accept backlog (somaxconn, 4096 here), so none is dropped. */
    public static final int DEFAULT_CONNECT_CONCURRENCY = 256;
    /**
     * Viewers per process by default. Measured at 1,000 viewers on two shared cores (docs/performance.md, "Fan-out"):
     * in one process the viewers' own reads lagged (p99 0.5-1.8 s), in two p99 was 90-490 ms, in four 81-127 ms, in
     * eight 94-118 ms for half again the clients' CPU. So four for a thousand, and no more than eight.
     */
    public static final int VIEWERS_PER_PROCESS = 250;
    public static final int MAX_DEFAULT_PROCESSES = 8;

    public LoadPlan {
        check(viewers, 0, MAX_VIEWERS, "--viewers");
        check(slow, 0, viewers, "--slow (at most --viewers)");
        check(processes, 0, Math.min(MAX_PROCESSES, Math.max(1, viewers)), "--processes (at most --viewers)");
        check(durationSeconds, 1, MAX_DURATION_SECONDS, "--duration");
        check(warmupSeconds, 0, MAX_WAIT_SECONDS, "--warmup");
        check(baselineSeconds, 1, MAX_WAIT_SECONDS, "--baseline");
        check(connectTimeoutSeconds, 1, MAX_CONNECT_TIMEOUT_SECONDS, "--connect-timeout");
        check(connectConcurrency, 1, 10_000, "--connect-concurrency");
        if (runId != null && startSpec != null) {
            throw new IllegalArgumentException("--run and --start exclude each other: a started run is the one followed");
        }
    }

    /**
     * One process for every {@link #VIEWERS_PER_PROCESS} viewers, at least two (one a core here) and at most
     * {@link #MAX_DEFAULT_PROCESSES}: past that, each JVM's own upkeep costs more than spreading gains.
     */
    public static int defaultProcesses(int viewers) {
        if (viewers == 0) {
            return 0;
        }
        int byLoad = (viewers + VIEWERS_PER_PROCESS - 1) / VIEWERS_PER_PROCESS;
        return Math.min(viewers, Math.min(MAX_DEFAULT_PROCESSES, Math.max(2, byLoad)));
    }

    private static void check(int value, int min, int max, String option) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + " to " + max + ", got " + value);
        }
    }
}
