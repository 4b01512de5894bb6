package io.trainscope.store;

import io.trainscope.point.Buckets;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The in-memory part of a run's multi-resolution summary: buckets of {@code 2^shift} iterations over the whole
 * run, at most {@code capacity} of them. It starts at one iteration a bucket; when the run outgrows the
 * capacity, neighbouring buckets merge and the size doubles, so heap per run stays bounded whatever the run's
 * length. Every coarser level is derived on demand by merging these (cheap: a few thousand buckets); finer
 * ones come from the metrics file. Holds only points already written to the OS. Thread-safe.
 */
final class Pyramid {

    private final int capacity;
    private final Layout layout;
    private Buckets kept;
    private int shift;

    Pyramid(Layout layout, int capacity) {
        this.capacity = capacity;
        this.layout = layout;
        this.kept = new Buckets(layout, Math.min(capacity, 64));
    }

    synchronized void add(Points block) {
        // Not Buckets.add: the capacity is checked before each new bucket, coarsening first when it is reached.
        int i = 0;
        while (i < block.size()) {
            long key = block.iteration(i) >> shift;
            if (kept.size() == capacity && kept.key(capacity - 1) != key) {
                coarsen();
                continue;
            }
            int end = i + 1;
            while (end < block.size() && block.iteration(end) >> shift == key) {
                end++;
            }
            kept.addRange(key, block, i, end);
            i = end;
        }
    }

    /** Doubles the bucket size until the buckets fit in half the capacity, so that coarsening stays rare. */
    private void coarsen() {
        do {
            shift++;
            Buckets merged = new Buckets(layout, capacity);
            for (int b = 0; b < kept.size(); b++) {
                merged.addBucket(kept.key(b) >> 1, kept, b);
            }
            kept = merged;
        } while (kept.size() > capacity / 2);
    }

    /** Writes the buckets and their size, for {@link PyramidSnapshot}. */
    synchronized void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(shift);
        kept.writeTo(out);
    }

    /** Replaces the buckets with ones {@link #writeTo} wrote. */
    synchronized void readFrom(DataInputStream in) throws IOException {
        int readShift = in.readInt();
        if (readShift < 0 || readShift > 63) {
            throw new IOException("a summary with buckets of 2^" + readShift + " iterations");
        }
        kept = Buckets.readFrom(in, layout, capacity);
        shift = readShift;
    }

    synchronized long heapBytes() {
        return kept.heapBytes();
    }

    /**
     * Adds iterations {@code from..to} to {@code out} in buckets of {@code 2^outShift}: whole kept buckets from
     * memory, the parts of the (at most two) kept buckets that straddle an end of the range from {@code file}.
     * Returns false, having added nothing, when the kept buckets are coarser than that (they may have just
     * merged): the caller then reads the range from the file.
     */
    synchronized boolean downsample(long from, long to, int outShift, Buckets out, MetricsFile file) throws IOException {
        if (outShift < shift) {
            return false;
        }
        int b = firstBucketEndingAtOrAfter(from);
        for (; b < kept.size(); b++) {
            long first = kept.iteration(b, Buckets.FIRST);
            long last = kept.iteration(b, Buckets.LAST);
            if (first > to) {
                return true;
            }
            if (first >= from && last <= to) {
                out.addBucket(first >> outShift, kept, b);
            } else {
                file.forEach(Math.max(from, first), Math.min(to, last), (block, i, end) -> out.add(block, i, end, outShift));
            }
        }
        return true;
    }

    private int firstBucketEndingAtOrAfter(long iteration) {
        int lo = 0;
        int hi = kept.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (kept.iteration(mid, Buckets.LAST) < iteration) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
