package io.trainscope.history;

import io.trainscope.point.Buckets;
import io.trainscope.point.Downsample;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;

import java.util.Arrays;

/**
 * A run's history on the heap, in fixed-size chunks of {@link Points}: growing never copies old points, and
 * appending a point writes a few primitives (no object per iteration).
 *
 * <p>Single writer, many readers: the writer fills chunk slots first and then publishes the new count with a
 * volatile write; a reader reads the count first, so every slot below it is visible (JLS 17.4.5
 * happens-before through the volatile). The chunk table is replaced, never changed in place, before the
 * count that needs it is published.
 */
public final class MemoryHistory implements History {

    static final int CHUNK = 4096;

    private final Layout layout;
    private volatile Points[] chunks = new Points[0];
    private volatile long size;
    private volatile double lastCost = Double.NaN;

    public MemoryHistory(int depth) {
        this.layout = Layout.of(depth);
    }

    @Override
    public int depth() {
        return layout.depth();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public double lastCost() {
        return lastCost;
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
                table[c] = new Points(layout, CHUNK);
                chunks = table;
            }
            table[c].add(batch, p);
        }
        if (!batch.isEmpty()) {
            lastCost = batch.cost(batch.size() - 1);
        }
        size = n;
    }

    @Override
    public Points read(long from, long to) {
        long end = Math.min(to, size);
        long start = Math.max(0, from);
        Points out = new Points(layout, (int) Math.max(0, end - start));
        Points[] table = chunks;
        for (long i = start; i < end; ) {
            int c = (int) (i / CHUNK);
            int within = (int) (i % CHUNK);
            int n = (int) Math.min(CHUNK - within, end - i);
            out.addAll(table[c], within, within + n);
            i += n;
        }
        return out;
    }

    @Override
    public Points downsampled(long from, long to, int maxPoints) {
        long start = Math.max(0, from);
        long end = Math.min(to, size);
        if (end - start <= maxPoints) {
            return read(start, end);
        }
        int buckets = Downsample.buckets(maxPoints);
        int shift = Downsample.shift(start, end - 1, buckets);
        Buckets out = new Buckets(layout, buckets);
        Points[] table = chunks;
        for (long i = start; i < end; ) {
            int c = (int) (i / CHUNK);
            int within = (int) (i % CHUNK);
            int n = (int) Math.min(CHUNK - within, end - i);
            out.add(table[c], within, within + n, shift);
            i += n;
        }
        return out.points();
    }
}
