package io.trainscope.nn;

import java.util.Objects;

/**
 * Examples in the seed's layout: {@code x} is {@code features × samples} row-major (one column per example),
 * {@code y} holds one 0/1 label per example.
 */
public record Dataset(int features, int samples, double[] x, double[] y) {

    public Dataset {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (features < 1 || samples < 1) {
            throw new IllegalArgumentException("a dataset needs at least one feature and one sample, got "
                    + features + " features and " + samples + " samples");
        }
        if (x.length != features * samples || y.length != samples) {
            throw new IllegalArgumentException("x must hold " + features + "×" + samples + " values and y "
                    + samples + ", got " + x.length + " and " + y.length);
        }
    }

    /**
     * At most {@code max} of the examples, spread evenly over them: this dataset when it has no more, else the
     * examples {@code ⌊k·m/max⌋} for {@code k = 0, …, max−1}, in order. The same data and bound always give the
     * same examples.
     */
    public Dataset spread(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("need at least one example, got " + max);
        }
        if (samples <= max) {
            return this;
        }
        int[] columns = new int[max];
        for (int k = 0; k < max; k++) {
            columns[k] = (int) ((long) k * samples / max);
        }
        return select(columns);
    }

    /** The examples at {@code columns}, in that order. */
    public Dataset select(int[] columns) {
        int n = columns.length;
        double[] sx = new double[features * n];
        double[] sy = new double[n];
        for (int j = 0; j < n; j++) {
            int c = columns[j];
            sy[j] = y[c];
            for (int f = 0; f < features; f++) {
                sx[f * n + j] = x[f * samples + c];
            }
        }
        return new Dataset(features, n, sx, sy);
    }
}
