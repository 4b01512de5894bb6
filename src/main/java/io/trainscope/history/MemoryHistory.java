package io.trainscope.history;

import io.trainscope.nn.StepMetrics;

import java.util.Arrays;

/**
 * A run's history on the heap, in fixed-size chunks of columnar {@link Points}: growing never copies old
 * points, and appending a point writes a few primitives (no object per iteration).
 *
 * <p>Single writer, many readers: the writer fills chunk slots first and then publishes the new count with a
 * volatile write; a reader reads the count first, so every slot below it is visible (JLS 17.4.5
 * happens-before through the volatile). The chunk table is replaced, never changed in place, before the
 * count that needs it is published.
 */
public final class MemoryHistory implements History {

    static final int CHUNK = 4096;

    private final int depth;
    private volatile Points[] chunks = new Points[0];
    private volatile long size;

    public MemoryHistory(int depth) {
        this.depth = depth;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void append(Points batch) {
        long n = size;
        Points[] table = chunks;
        for (int p = 0; p < batch.size(); p++, n++) {
            if (batch.iteration(p) != n) {
                throw new IllegalArgumentException("history of " + n + " points cannot take iteration "
                        + batch.iteration(p) + " next");
            }
            int c = (int) (n / CHUNK);
            if (c == table.length) {
                table = Arrays.copyOf(table, c + 1);
                table[c] = new Points(depth, CHUNK);
                chunks = table;
            }
            table[c].add(batch, p);
        }
        size = n;
    }

    /** Appends one point; the same as a batch of one. */
    public void append(StepMetrics m) {
        Points one = new Points(depth, 1);
        one.add(m);
        append(one);
    }

    @Override
    public Points read(long from, long to) {
        long end = Math.min(to, size);
        Points[] table = chunks;
        long start = Math.max(0, from);
        Points out = new Points(depth, (int) Math.max(0, end - start));
        for (long i = start; i < end; i++) {
            out.add(table[(int) (i / CHUNK)], (int) (i % CHUNK));
        }
        return out;
    }
}
