package io.trainscope.point;

import io.trainscope.nn.StepMetrics;

import java.util.Arrays;

/**
 * A batch of metrics points, column by column: the one form of points in memory, in a block of the store, in a
 * live update and in a history. {@code iterations[i]} is point i's iteration and {@code values[lane][i]} its
 * values, lanes as the {@link Layout} lays out the columns. A thousand points are a handful of arrays, not a
 * thousand objects, and a column is contiguous, as the store's codec wants it.
 *
 * <p>Filled by one thread; once handed to another (on the event bus, as a history read) it is not changed again,
 * so readers need no locking.
 */
public final class Points {

    private final Layout layout;
    private long[] iterations;
    private double[][] values;
    private int size;

    public Points(Layout layout, int capacity) {
        this.layout = layout;
        int c = Math.max(capacity, 1);
        this.iterations = new long[c];
        this.values = new double[layout.width()][c];
    }

    /** Points of the schema's layout for {@code depth} weight layers. */
    public Points(int depth, int capacity) {
        this(Layout.of(depth), capacity);
    }

    public Layout layout() {
        return layout;
    }

    public int depth() {
        return layout.depth();
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Room for this many points without growing. */
    public int capacity() {
        return iterations.length;
    }

    /** Empties the batch, keeping its arrays for reuse. */
    public void clear() {
        size = 0;
    }

    /** Appends a step's metrics, every column of the layout read from it. */
    public void add(StepMetrics m) {
        int p = grow();
        iterations[p] = m.iteration;
        int lane = 0;
        int depth = layout.depth();
        for (Column column : layout.columns()) {
            for (int k = 0, width = column.kind().width(depth); k < width; k++) {
                values[lane++][p] = column.source().value(m, k);
            }
        }
    }

    /** Appends point {@code p} of {@code other}, of the same layout. */
    public void add(Points other, int p) {
        int q = grow();
        iterations[q] = other.iterations[p];
        for (int lane = 0; lane < values.length; lane++) {
            values[lane][q] = other.values[lane][p];
        }
    }

    /** Appends points {@code [from, to)} of {@code other}, of the same layout. */
    public void addAll(Points other, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        ensure(size + n);
        System.arraycopy(other.iterations, from, iterations, size, n);
        for (int lane = 0; lane < values.length; lane++) {
            System.arraycopy(other.values[lane], from, values[lane], size, n);
        }
        size += n;
    }

    /** Appends a point given lane by lane: for the store's reader and tests. */
    public void add(long iteration, double[] lanes) {
        if (lanes.length != values.length) {
            throw new IllegalArgumentException("a point of this layout has " + values.length + " values, got " + lanes.length);
        }
        int p = grow();
        iterations[p] = iteration;
        for (int lane = 0; lane < lanes.length; lane++) {
            values[lane][p] = lanes[lane];
        }
    }

    private int grow() {
        ensure(size + 1);
        return size++;
    }

    private void ensure(int capacity) {
        if (capacity > iterations.length) {
            int c = Math.max(capacity, iterations.length * 2);
            iterations = Arrays.copyOf(iterations, c);
            for (int lane = 0; lane < values.length; lane++) {
                values[lane] = Arrays.copyOf(values[lane], c);
            }
        }
    }

    public long iteration(int p) {
        return iterations[p];
    }

    /** The value in {@code lane} of point {@code p}. */
    public double value(int lane, int p) {
        return values[lane][p];
    }

    /** Value {@code index} (a layer; 0 for a run column) of {@code column} at point {@code p}; NaN when absent. */
    public double value(Column column, int index, int p) {
        int lane = layout.offset(column);
        return lane < 0 ? Double.NaN : values[lane + index][p];
    }

    public double cost(int p) {
        return values[layout.offset(Schema.COST)][p];
    }

    /** The index of the first point at or after {@code iteration} ({@link #size()} when none is): points are in order. */
    public int indexOf(long iteration) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (iterations[mid] < iteration) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first iteration held, or -1 when empty. */
    public long firstIteration() {
        return size == 0 ? -1 : iterations[0];
    }

    /** The last iteration held, or -1 when empty. */
    public long lastIteration() {
        return size == 0 ? -1 : iterations[size - 1];
    }

    /** The arrays themselves, for the store's codec, which reads and fills whole columns. */
    public long[] iterationColumn() {
        return iterations;
    }

    /** Lane {@code lane}'s array, live; the store's codec fills it and then {@link #setSize}. */
    public double[] lane(int lane) {
        return values[lane];
    }

    /** After filling the arrays directly: how many points they hold now (at most the capacity). */
    public void setSize(int size) {
        if (size < 0 || size > iterations.length) {
            throw new IllegalArgumentException("size " + size + " of a batch of capacity " + iterations.length);
        }
        this.size = size;
    }
}
