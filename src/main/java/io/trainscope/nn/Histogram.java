package io.trainscope.nn;

/**
 * Counts of values in {@code bins} equal-width bins from the smallest finite value to the largest, as
 * TensorBoard's histograms show a tensor: {@code edges} holds {@code bins + 1} increasing numbers, bin {@code k}
 * is {@code [edges[k], edges[k+1])} and the last bin also takes {@code edges[bins]}, the maximum. Values that are
 * not finite (NaN, ±Infinity) are counted apart in {@code nonFinite}, so {@code Σ counts + nonFinite} is the
 * number of values.
 *
 * <p>Degenerate cases: when every finite value is the same {@code v}, the edges run from {@code v − h} to
 * {@code v + h} with {@code h = max(1, |v|) / 2} (TensorBoard widens a zero range by 0.5 likewise), so every value
 * lands in the middle bin; with no finite value at all, {@code v} is 0 and every count is 0.
 *
 * <p>Made by two reads of the values where they lie (no copy): one for the range, one to count.
 */
public record Histogram(double[] edges, int[] counts, int nonFinite) {

    /** The bin count of every snapshot histogram. */
    public static final int BINS = 32;

    /** The values {@code v[from, to)}. */
    public static Histogram of(double[] v, int from, int to, int bins) {
        return build(v, from, to, bins, false);
    }

    /** The sigmoids {@code σ(z)} of {@code z[from, to)}: an output layer's activations from its Z. */
    public static Histogram ofSigmoid(double[] z, int from, int to, int bins) {
        return build(z, from, to, bins, true);
    }

    /** Values counted, finite or not. */
    public long total() {
        long sum = nonFinite;
        for (int c : counts) {
            sum += c;
        }
        return sum;
    }

    private static Histogram build(double[] v, int from, int to, int bins, boolean sigmoid) {
        if (bins < 1 || from < 0 || to > v.length || from > to) {
            throw new IllegalArgumentException("need bins >= 1 and 0 <= from <= to <= " + v.length + ", got " + bins
                    + " bins and [" + from + ", " + to + ")");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int nonFinite = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (Double.isFinite(x)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            } else {
                nonFinite++;
            }
        }
        if (nonFinite == to - from) {
            min = 0;
            max = 0;
        } else if (sigmoid) {
            // σ is monotone, so the range of the outputs is that of the inputs mapped.
            min = Network.sigmoid(min);
            max = Network.sigmoid(max);
        }
        double lo = min;
        double hi = max;
        // hi/bins - lo/bins rather than (hi - lo)/bins: the difference of two large values may overflow.
        double width = hi / bins - lo / bins;
        if (!(width > 0)) {
            // One value (or a range too narrow to cut into bins: a few denormals apart).
            double h = Math.max(1, Math.abs(min)) / 2;
            lo = min - h;
            hi = max + h;
            width = hi / bins - lo / bins;
        }
        double[] edges = new double[bins + 1];
        for (int k = 0; k < bins; k++) {
            edges[k] = lo + k * width;
        }
        edges[bins] = hi;
        int[] counts = new int[bins];
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (!Double.isFinite(x)) {
                continue;
            }
            if (sigmoid) {
                x = Network.sigmoid(x);
            }
            // Rounding may put the maximum one past the last bin, or a value a hair below its edge: clamped. A
            // division, not a product with 1/width: for huge ranges that reciprocal is a denormal, and inexact.
            int k = (int) ((x - lo) / width);
            counts[Math.max(0, Math.min(bins - 1, k))]++;
        }
        return new Histogram(edges, counts, nonFinite);
    }
}
