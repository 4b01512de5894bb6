package io.trainscope.server;

import io.trainscope.spec.SpecLimits;

import java.nio.file.Path;

/**
 * How the server runs, read once from the command line. Named defaults, checked at construction.
 *
 * @param host             interface to bind
 * @param port             TCP port, 0 for any free one
 * @param dataDir          where runs are kept (docs/storage.md); null keeps them in memory only, as tests do
 * @param token            the control token, or null when anyone may control (CONTRACT.md, "Control and access")
 * @param maxRunning       runs that may train (or be paused) at once
 * @param pushRate         updates per second sent to each viewer
 * @param demo             start a paced demo run at start-up
 * @param maxLivePoints    points per live update before it is downsampled
 * @param maxHistoryPoints points in a history message before it is downsampled
 * @param maxMessageBytes  largest WebSocket message accepted from a viewer
 * @param chunkMillis      longest a training chunk runs before control commands are looked at
 * @param specLimits       bounds on what a spec may ask for (layer widths, depth, iterations, samples)
 * @param webroot          a folder to serve the page from instead of the jar's ({@code --webroot}), or null
 * @param maxQueued        runs that may wait for a slot beyond {@code maxRunning}
 * @param keepMillis       how often a live run's parameters are kept on disk at the most (docs/storage.md)
 */
public record ServerConfig(String host, int port, Path dataDir, String token, int maxRunning, int pushRate,
                           boolean demo, int maxLivePoints, int maxHistoryPoints, int maxMessageBytes,
                           int chunkMillis, SpecLimits specLimits, Path webroot, int maxQueued, int keepMillis) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("trainscope-data");
    /**
     * Four runs train at once: the four learning rates race side by side. On two cores each then gets about
     * half of one (docs/performance.md, "Several runs at once"): together they finish in the time they would one after
     * another, and more than four at once only makes each slower; further starts wait in the queue.
     */
    public static final int DEFAULT_MAX_RUNNING = 4;
    /** A sweep of 32 behind 32 others: bounded, and a queued run costs its spec only (RunQueue bounds those bytes). */
    public static final int DEFAULT_MAX_QUEUED = 64;
    /** A live run's parameters are kept every 5 s at the most: a crash loses at most about that much training. */
    public static final int DEFAULT_KEEP_MILLIS = 5000;
    public static final int DEFAULT_PUSH_RATE = 20;
    /**
     * One bucket of the one downsampling rule a push (its first, last, least-cost and greatest-cost points): at
     * 20 updates a second, 80 points a second per viewer, 4,800 in a minute, more than a chart's width shows, and
     * the full detail stays a zoom away. A viewer's bytes then no longer follow the training rate: at 100 a push a
     * fast run's viewer took 258 KiB/s, and a thousand of them saturated the machine (docs/performance.md).
     */
    public static final int DEFAULT_MAX_LIVE_POINTS = 4;
    /** A joining viewer's history stays under ~1 MB even for deep networks. */
    public static final int DEFAULT_MAX_HISTORY_POINTS = 4000;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    /**
     * 25 ms chunks keep stop/pause within 100 ms even when one iteration takes 40 ms
     * ([784,256,128,1] on 2048 samples): chunk end + one iteration + a hop on the event bus.
     */
    public static final int DEFAULT_CHUNK_MILLIS = 25;

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must name an interface");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        if (maxRunning < 1) {
            throw new IllegalArgumentException("--max-running must be at least 1, got " + maxRunning);
        }
        if (maxQueued < 0 || maxQueued > 10_000) {
            throw new IllegalArgumentException("--max-queued must be 0..10000, got " + maxQueued);
        }
        if (keepMillis < 1) {
            throw new IllegalArgumentException("the interval between kept parameters must be at least 1 ms");
        }
        if (pushRate < 1 || pushRate > 1000) {
            throw new IllegalArgumentException("--push-rate must be 1..1000 updates a second, got " + pushRate);
        }
        io.trainscope.server.access.AccessPolicy.checkToken(token);
        if (specLimits == null) {
            throw new IllegalArgumentException("spec limits are required");
        }
        if (maxLivePoints < 4 || maxHistoryPoints < 4 || maxMessageBytes < 1024 || chunkMillis < 1) {
            throw new IllegalArgumentException("point, message and chunk limits are too small");
        }
    }

    /** As before queueing existed: the default queue and interval between kept parameters. */
    public ServerConfig(String host, int port, Path dataDir, String token, int maxRunning, int pushRate, boolean demo,
                        int maxLivePoints, int maxHistoryPoints, int maxMessageBytes, int chunkMillis,
                        SpecLimits specLimits, Path webroot) {
        this(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints, maxHistoryPoints, maxMessageBytes,
                chunkMillis, specLimits, webroot, DEFAULT_MAX_QUEUED, DEFAULT_KEEP_MILLIS);
    }

    /**
     * The defaults, with runs kept in memory only: {@code serve} always names a data directory
     * ({@link #DEFAULT_DATA_DIR} unless told), and a test that wants storage gives its own with {@link #withDataDir}.
     */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, null, null, DEFAULT_MAX_RUNNING,
                DEFAULT_PUSH_RATE, false, DEFAULT_MAX_LIVE_POINTS, DEFAULT_MAX_HISTORY_POINTS,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_CHUNK_MILLIS, SpecLimits.DEFAULT, null, DEFAULT_MAX_QUEUED,
                DEFAULT_KEEP_MILLIS);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    public ServerConfig withToken(String token) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    public ServerConfig withMaxRunning(int maxRunning) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    /** At most {@code maxRunning} training at once and {@code maxQueued} more waiting for a slot. */
    public ServerConfig withSlots(int maxRunning, int maxQueued) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    /** A live run's parameters kept every {@code keepMillis} at the most. */
    public ServerConfig withKeepMillis(int keepMillis) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    public ServerConfig withPoints(int maxLivePoints, int maxHistoryPoints) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    /** The page served from {@code webroot} (copied at start), not from the jar. */
    public ServerConfig withWebroot(Path webroot) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }

    /** Runs kept under {@code dataDir}, or in memory only when it is null. */
    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(host, port, dataDir, token, maxRunning, pushRate, demo, maxLivePoints,
                maxHistoryPoints, maxMessageBytes, chunkMillis, specLimits, webroot, maxQueued, keepMillis);
    }
}
