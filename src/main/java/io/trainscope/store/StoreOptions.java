package io.trainscope.store;

import java.time.Duration;

/**
 * How a {@link RunStore} trades durability, latency and memory.
 *
 * @param flushInterval   the longest a point waits in memory before the writer hands it to the OS. Viewers are
 *                        only served durable points, so this bounds how far live charts lag the training.
 * @param fsync           also force every flush to the device: survives a power cut, not only a process kill,
 *                        at the cost of one fsync per flush.
 * @param summaryBuckets  the most in-memory summary buckets per run; when a run outgrows them, neighbours merge
 *                        and the bucket size doubles. Bounds heap per run (about 4 · (8 + 8·(2L+4)) bytes
 *                        per bucket).
 * @param maxPendingPoints how many points may wait for the writer before {@code append} blocks the caller:
 *                        backpressure instead of unbounded memory or lost points.
 * @param maxOpenEndedRuns how many ended runs may keep their log open (file descriptor, summary in memory: up
 *                        to about 1.5 MB each) after being read; past that, the least recently read is closed
 *                        and reopens on its next read (see {@link OpenLogs}). Runs being written do not count.
 * @param privateFiles    files readable and folders usable by their owner only (600 and 700), for a server whose
 *                        runs only token holders may see ({@code --private})
 */
public record StoreOptions(Duration flushInterval, boolean fsync, int summaryBuckets, int maxPendingPoints,
                           int maxOpenEndedRuns, boolean privateFiles) {

    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);
    public static final int DEFAULT_SUMMARY_BUCKETS = 4096;
    public static final int DEFAULT_MAX_PENDING_POINTS = 1 << 18;
    /** At most about 100 MB of summaries; reopening one from its summary.bin takes milliseconds (docs/storage.md). */
    public static final int DEFAULT_MAX_OPEN_ENDED_RUNS = 64;

    public StoreOptions {
        if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("flushInterval must be in (0, 1 s], got " + flushInterval);
        }
        if (summaryBuckets < 2) {
            throw new IllegalArgumentException("summaryBuckets must be at least 2, got " + summaryBuckets);
        }
        if (maxPendingPoints < MetricsFile.BLOCK_POINTS) {
            throw new IllegalArgumentException("maxPendingPoints must be at least " + MetricsFile.BLOCK_POINTS
                    + ", got " + maxPendingPoints);
        }
        if (maxOpenEndedRuns < 1) {
            throw new IllegalArgumentException("maxOpenEndedRuns must be at least 1, got " + maxOpenEndedRuns);
        }
    }

    /** Options keeping {@link #DEFAULT_MAX_OPEN_ENDED_RUNS} ended runs open. */
    public StoreOptions(Duration flushInterval, boolean fsync, int summaryBuckets, int maxPendingPoints) {
        this(flushInterval, fsync, summaryBuckets, maxPendingPoints, DEFAULT_MAX_OPEN_ENDED_RUNS, false);
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_FLUSH_INTERVAL, false, DEFAULT_SUMMARY_BUCKETS, DEFAULT_MAX_PENDING_POINTS);
    }

    public StoreOptions withFsync(boolean on) {
        return new StoreOptions(flushInterval, on, summaryBuckets, maxPendingPoints, maxOpenEndedRuns, privateFiles);
    }

    public StoreOptions withSummaryBuckets(int buckets) {
        return new StoreOptions(flushInterval, fsync, buckets, maxPendingPoints, maxOpenEndedRuns, privateFiles);
    }

    public StoreOptions withMaxOpenEndedRuns(int runs) {
        return new StoreOptions(flushInterval, fsync, summaryBuckets, maxPendingPoints, runs, privateFiles);
    }

    public StoreOptions withPrivateFiles(boolean on) {
        return new StoreOptions(flushInterval, fsync, summaryBuckets, maxPendingPoints, maxOpenEndedRuns, on);
    }
}
