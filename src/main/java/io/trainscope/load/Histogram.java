package io.trainscope.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact counts of whole milliseconds, for latencies and handshake times. The server's {@code time} has a
 * millisecond's resolution, so one bucket a millisecond loses nothing; values above {@link #MAX_MS} are
 * counted there (the maximum is kept exactly). Safe to record into from several event loops at once.
 * Histograms of several processes are merged through {@link Counts}.
 */
final class Histogram {

    /** Two minutes: longer than any latency worth telling apart in a test of at most ten. */
    static final int MAX_MS = 120_000;

    private final AtomicLongArray counts = new AtomicLongArray(MAX_MS + 1);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong(-1);

    /**
     * A histogram as plain data, only the buckets that hold something.
     *
     * @param values the bucket values (ms), ascending
     * @param counts how many values each bucket holds
     * @param max    the largest value recorded, exactly; -1 when none was
     */
    record Counts(long[] values, long[] counts, long max) {
        static final Counts EMPTY = new Counts(new long[0], new long[0], -1);
    }

    /** Negative values (a clock step) count as 0. */
    void record(long ms) {
        long value = Math.max(0, ms);
        counts.incrementAndGet((int) Math.min(value, MAX_MS));
        total.incrementAndGet();
        max.accumulateAndGet(value, Math::max);
    }

    void add(Counts other) {
        for (int i = 0; i < other.values().length; i++) {
            counts.addAndGet((int) other.values()[i], other.counts()[i]);
            total.addAndGet(other.counts()[i]);
        }
        max.accumulateAndGet(other.max(), Math::max);
    }

    long count() {
        return total.get();
    }

    /** The largest value recorded, or -1. */
    long max() {
        return max.get();
    }

    /**
     * The nearest-rank percentile: the smallest recorded value with at least {@code q} of all values at or below
     * it ({@code q} in (0, 1]); -1 when nothing was recorded. A value over {@link #MAX_MS} reads as {@link #MAX_MS}.
     */
    long percentile(double q) {
        long n = total.get();
        if (n == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int v = 0; v <= MAX_MS; v++) {
            seen += counts.get(v);
            if (seen >= rank) {
                return v;
            }
        }
        return MAX_MS;
    }

    Counts counts() {
        List<long[]> held = new ArrayList<>();
        for (int v = 0; v <= MAX_MS; v++) {
            long c = counts.get(v);
            if (c > 0) {
                held.add(new long[] {v, c});
            }
        }
        long[] values = new long[held.size()];
        long[] numbers = new long[held.size()];
        for (int i = 0; i < held.size(); i++) {
            values[i] = held.get(i)[0];
            numbers[i] = held.get(i)[1];
        }
        return new Counts(values, numbers, max.get());
    }
}
