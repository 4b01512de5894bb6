package io.trainscope.store;

import java.util.Arrays;

/**
 * Where to start reading for a given iteration: the offset and first iteration of one block in every
 * {@link MetricsFile#BLOCK_POINTS} points or so (slow runs write many small blocks; indexing each would grow
 * with wall time rather than with data). A reader seeks to the entry at or before its start and skips whole
 * blocks by their headers. Thread-safe: the writer adds while readers look up.
 */
final class SparseIndex {

    private long[] offsets = new long[64];
    private long[] firstIterations = new long[64];
    private int size;
    private long pointsSinceEntry = Long.MAX_VALUE;

    synchronized void blockWritten(long offset, long firstIteration, int count) {
        if (pointsSinceEntry >= MetricsFile.BLOCK_POINTS) {
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
                firstIterations = Arrays.copyOf(firstIterations, size * 2);
            }
            offsets[size] = offset;
            firstIterations[size] = firstIteration;
            size++;
            pointsSinceEntry = 0;
        }
        pointsSinceEntry += count;
    }

    /** The offset of the last indexed block starting at or before {@code iteration}, or {@code fallback}. */
    synchronized long seek(long iteration, long fallback) {
        int i = Arrays.binarySearch(firstIterations, 0, size, iteration);
        int at = i >= 0 ? i : -i - 2;
        return at < 0 ? fallback : offsets[at];
    }

    synchronized long heapBytes() {
        return 16L * offsets.length;
    }
}
