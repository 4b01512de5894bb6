package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run of buckets in iteration order, each keeping four whole points of the iterations it covers: the
 * first, the last, the one of least cost and the one of greatest cost (the first such on ties; a NaN cost
 * loses to any number). Buckets are identified by a key, {@code iteration >> shift}; adding a point or a
 * finer bucket whose key equals the last bucket's merges into it, otherwise opens a new bucket. Merging is
 * associative, so summarising buckets gives the same result as summarising their points.
 * Packed in two arrays to keep heap small; not thread-safe.
 */
final class Buckets {

    static final int FIRST = 0;
    static final int LAST = 1;
    static final int MIN = 2;
    static final int MAX = 3;
    private static final int SLOTS = 4;

    final int depth;
    private final int width;
    private long[] keys;
    private long[] iterations;
    private double[] values;
    private int size;

    Buckets(int depth, int initialCapacity) {
        this.depth = depth;
        this.width = PointBuffer.valueColumns(depth);
        int capacity = Math.max(1, initialCapacity);
        this.keys = new long[capacity];
        this.iterations = new long[capacity * SLOTS];
        this.values = new double[capacity * SLOTS * width];
    }

    int size() {
        return size;
    }

    long key(int bucket) {
        return keys[bucket];
    }

    long iteration(int bucket, int slot) {
        return iterations[bucket * SLOTS + slot];
    }

    void clear() {
        size = 0;
    }

    void addPoint(long key, StepMetrics m) {
        if (size == 0 || keys[size - 1] != key) {
            int b = open(key);
            for (int slot = 0; slot < SLOTS; slot++) {
                setFromPoint(b * SLOTS + slot, m);
            }
            return;
        }
        int b = size - 1;
        setFromPoint(b * SLOTS + LAST, m);
        if (lower(m.cost, cost(b * SLOTS + MIN))) {
            setFromPoint(b * SLOTS + MIN, m);
        }
        if (higher(m.cost, cost(b * SLOTS + MAX))) {
            setFromPoint(b * SLOTS + MAX, m);
        }
    }

    /**
     * Adds points {@code [from, to)} of {@code block}, which all share {@code key}: the same as adding them one
     * by one, but with at most four slot writes, so that summarising keeps pace with the writer.
     */
    void addRange(long key, PointBuffer block, int from, int to) {
        double[] costs = block.values[0];
        int min = from;
        int max = from;
        for (int i = from + 1; i < to; i++) {
            if (lower(costs[i], costs[min])) {
                min = i;
            }
            if (higher(costs[i], costs[max])) {
                max = i;
            }
        }
        boolean merge = size > 0 && keys[size - 1] == key;
        int b = merge ? size - 1 : open(key);
        int at = b * SLOTS;
        if (!merge) {
            setFromBlock(at + FIRST, block, from);
        }
        setFromBlock(at + LAST, block, to - 1);
        if (!merge || lower(costs[min], cost(at + MIN))) {
            setFromBlock(at + MIN, block, min);
        }
        if (!merge || higher(costs[max], cost(at + MAX))) {
            setFromBlock(at + MAX, block, max);
        }
    }

    /** Adds bucket {@code b} of {@code source}, which covers iterations after every one here, under {@code key}. */
    void addBucket(long key, Buckets source, int b) {
        int from = b * SLOTS;
        if (size == 0 || keys[size - 1] != key) {
            int d = open(key);
            for (int slot = 0; slot < SLOTS; slot++) {
                copySlot(source, from + slot, d * SLOTS + slot);
            }
            return;
        }
        int d = (size - 1) * SLOTS;
        copySlot(source, from + LAST, d + LAST);
        if (lower(source.cost(from + MIN), cost(d + MIN))) {
            copySlot(source, from + MIN, d + MIN);
        }
        if (higher(source.cost(from + MAX), cost(d + MAX))) {
            copySlot(source, from + MAX, d + MAX);
        }
    }

    /** The distinct points of every bucket, in iteration order. */
    List<Point> points() {
        List<Point> out = new ArrayList<>(size * 2);
        long[] slotIterations = new long[SLOTS];
        for (int b = 0; b < size; b++) {
            System.arraycopy(iterations, b * SLOTS, slotIterations, 0, SLOTS);
            Arrays.sort(slotIterations);
            for (int k = 0; k < SLOTS; k++) {
                if (k > 0 && slotIterations[k] == slotIterations[k - 1]) {
                    continue;
                }
                out.add(point(b, slotIterations[k]));
            }
        }
        return out;
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(size);
        for (int b = 0; b < size; b++) {
            out.writeLong(keys[b]);
        }
        for (int i = 0; i < size * SLOTS; i++) {
            out.writeLong(iterations[i]);
        }
        for (int i = 0; i < size * SLOTS * width; i++) {
            out.writeLong(Double.doubleToRawLongBits(values[i]));
        }
    }

    /** Reads what {@link #writeTo} wrote; the caller checks the bytes' CRC. */
    static Buckets readFrom(DataInputStream in, int depth, int capacity) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > capacity) {
            throw new IOException("a summary of " + size + " buckets, at most " + capacity + " expected");
        }
        Buckets buckets = new Buckets(depth, Math.max(size, Math.min(capacity, 64)));
        for (int b = 0; b < size; b++) {
            buckets.keys[b] = in.readLong();
        }
        for (int i = 0; i < size * SLOTS; i++) {
            buckets.iterations[i] = in.readLong();
        }
        for (int i = 0; i < size * SLOTS * buckets.width; i++) {
            buckets.values[i] = Double.longBitsToDouble(in.readLong());
        }
        buckets.size = size;
        return buckets;
    }

    long heapBytes() {
        return 8L * keys.length + 8L * iterations.length + 8L * values.length;
    }

    private Point point(int b, long iteration) {
        int slot = b * SLOTS;
        while (iterations[slot] != iteration) {
            slot++;
        }
        int v = slot * width;
        double[] w = Arrays.copyOfRange(values, v + 2, v + 2 + depth);
        double[] g = Arrays.copyOfRange(values, v + 2 + depth, v + 2 + 2 * depth);
        return new Point(iteration, values[v], values[v + 1], w, g, values[v + 2 + 2 * depth], values[v + 3 + 2 * depth]);
    }

    private int open(long key) {
        if (size == keys.length) {
            int capacity = size * 2;
            keys = Arrays.copyOf(keys, capacity);
            iterations = Arrays.copyOf(iterations, capacity * SLOTS);
            values = Arrays.copyOf(values, capacity * SLOTS * width);
        }
        keys[size] = key;
        return size++;
    }

    private double cost(int slot) {
        return values[slot * width];
    }

    private void setFromPoint(int slot, StepMetrics m) {
        iterations[slot] = m.iteration;
        int v = slot * width;
        values[v] = m.cost;
        values[v + 1] = m.accuracy;
        System.arraycopy(m.weightNorms, 0, values, v + 2, depth);
        System.arraycopy(m.gradientNorms, 0, values, v + 2 + depth, depth);
        values[v + 2 + 2 * depth] = m.validationCost;
        values[v + 3 + 2 * depth] = m.validationAccuracy;
    }

    private void setFromBlock(int slot, PointBuffer block, int i) {
        iterations[slot] = block.iterations[i];
        int v = slot * width;
        for (int c = 0; c < width; c++) {
            values[v + c] = block.values[c][i];
        }
    }

    private void copySlot(Buckets source, int from, int to) {
        iterations[to] = source.iterations[from];
        System.arraycopy(source.values, from * width, values, to * width, width);
    }

    private static boolean lower(double candidate, double current) {
        return candidate < current || (Double.isNaN(current) && !Double.isNaN(candidate));
    }

    private static boolean higher(double candidate, double current) {
        return candidate > current || (Double.isNaN(current) && !Double.isNaN(candidate));
    }
}
