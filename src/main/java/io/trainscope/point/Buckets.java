package io.trainscope.point;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The downsampling rule's working state ({@link Downsample}): a run of buckets in iteration order, each keeping
 * four whole points of the iterations it covers, the first, the last, the one of least cost and the one of
 * greatest cost (the first such on ties; a NaN cost loses to any number). Buckets are identified by a key,
 * {@code iteration >> shift}; adding a point or a finer bucket whose key equals the last bucket's merges into it,
 * otherwise opens a new bucket. Merging is associative, so summarising buckets gives the same result as
 * summarising their points. Packed in two arrays to keep heap small; not thread-safe.
 */
public final class Buckets {

    public static final int FIRST = 0;
    public static final int LAST = 1;
    public static final int MIN = 2;
    public static final int MAX = 3;
    private static final int SLOTS = 4;

    private final Layout layout;
    private final int width;
    private final int costLane;
    private long[] keys;
    private long[] iterations;
    private double[] values;
    private int size;

    public Buckets(Layout layout, int initialCapacity) {
        this.layout = layout;
        this.width = layout.width();
        this.costLane = layout.offset(Schema.COST);
        int capacity = Math.max(1, initialCapacity);
        this.keys = new long[capacity];
        this.iterations = new long[capacity * SLOTS];
        this.values = new double[capacity * SLOTS * width];
    }

    public Layout layout() {
        return layout;
    }

    public int size() {
        return size;
    }

    public long key(int bucket) {
        return keys[bucket];
    }

    public long iteration(int bucket, int slot) {
        return iterations[bucket * SLOTS + slot];
    }

    /** Adds point {@code i} of {@code block} under {@code key}. */
    public void addPoint(long key, Points block, int i) {
        addRange(key, block, i, i + 1);
    }

    /**
     * Adds points {@code [from, to)} of {@code block}, which all share {@code key}: the same as adding them one
     * by one, but with at most four slot writes, so that summarising keeps pace with the store's writer.
     */
    public void addRange(long key, Points block, int from, int to) {
        double[] costs = block.lane(costLane);
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

    /** Adds points {@code [from, to)} of {@code block}, each keyed by {@code iteration >> shift}. */
    public void add(Points block, int from, int to, int shift) {
        for (int i = from; i < to; ) {
            long key = block.iteration(i) >> shift;
            int end = i + 1;
            while (end < to && block.iteration(end) >> shift == key) {
                end++;
            }
            addRange(key, block, i, end);
            i = end;
        }
    }

    /** Adds bucket {@code b} of {@code source}, which covers iterations after every one here, under {@code key}. */
    public void addBucket(long key, Buckets source, int b) {
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

    /** The distinct kept points of every bucket, in iteration order. */
    public Points points() {
        Points out = new Points(layout, size * 2);
        long[] slotIterations = new long[SLOTS];
        double[] lanes = new double[width];
        for (int b = 0; b < size; b++) {
            System.arraycopy(iterations, b * SLOTS, slotIterations, 0, SLOTS);
            Arrays.sort(slotIterations);
            for (int k = 0; k < SLOTS; k++) {
                if (k > 0 && slotIterations[k] == slotIterations[k - 1]) {
                    continue;
                }
                int slot = b * SLOTS;
                while (iterations[slot] != slotIterations[k]) {
                    slot++;
                }
                System.arraycopy(values, slot * width, lanes, 0, width);
                out.add(slotIterations[k], lanes);
            }
        }
        return out;
    }

    public void writeTo(DataOutputStream out) throws IOException {
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
    public static Buckets readFrom(DataInputStream in, Layout layout, int capacity) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > capacity) {
            throw new IOException("a summary of " + size + " buckets, at most " + capacity + " expected");
        }
        Buckets buckets = new Buckets(layout, Math.max(size, Math.min(capacity, 64)));
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

    public long heapBytes() {
        return 8L * keys.length + 8L * iterations.length + 8L * values.length;
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
        return values[slot * width + costLane];
    }

    private void setFromBlock(int slot, Points block, int i) {
        iterations[slot] = block.iteration(i);
        int v = slot * width;
        for (int lane = 0; lane < width; lane++) {
            values[v + lane] = block.value(lane, i);
        }
    }

    private void copySlot(Buckets source, int from, int to) {
        iterations[to] = source.iterations[from];
        System.arraycopy(source.values, from * width, values, to * width, width);
    }

    /** The least cost wins; a NaN loses to any number. */
    static boolean lower(double candidate, double current) {
        return candidate < current || (Double.isNaN(current) && !Double.isNaN(candidate));
    }

    /** The greatest cost wins; a NaN loses to any number. */
    static boolean higher(double candidate, double current) {
        return candidate > current || (Double.isNaN(current) && !Double.isNaN(candidate));
    }
}
