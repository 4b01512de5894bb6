package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

/**
 * Up to {@link #BLOCK_POINTS} points of one depth, column by column: the unit the writer encodes as one
 * block and the reader decodes one block into. Column 0 is the iteration; value columns follow in
 * {@link #valueColumns} order. Mutable and reused; not thread-safe.
 */
final class PointBuffer {

    /** Points per block: large enough that headers cost nothing, small enough to decode for a short range. */
    static final int BLOCK_POINTS = 4096;

    final int depth;
    final long[] iterations = new long[BLOCK_POINTS];
    /** {@code values[c][i]}: column c is cost, accuracy, weightNorms[0..L), gradientNorms[0..L), validationCost, validationAccuracy. */
    final double[][] values;
    int size;

    PointBuffer(int depth) {
        this.depth = depth;
        this.values = new double[valueColumns(depth)][BLOCK_POINTS];
    }

    static int valueColumns(int depth) {
        return 2 * depth + 4;
    }

    boolean full() {
        return size == BLOCK_POINTS;
    }

    long firstIteration() {
        return iterations[0];
    }

    long lastIteration() {
        return iterations[size - 1];
    }

    void add(long iteration, double cost, double accuracy, double[] weightNorms, double[] gradientNorms,
             double validationCost, double validationAccuracy) {
        int i = size++;
        iterations[i] = iteration;
        values[0][i] = cost;
        values[1][i] = accuracy;
        for (int l = 0; l < depth; l++) {
            values[2 + l][i] = weightNorms[l];
            values[2 + depth + l][i] = gradientNorms[l];
        }
        values[2 + 2 * depth][i] = validationCost;
        values[3 + 2 * depth][i] = validationAccuracy;
    }

    /** Copies point {@code i} into {@code out}, whose depth must match. */
    void copyTo(int i, StepMetrics out) {
        out.iteration = iterations[i];
        out.cost = values[0][i];
        out.accuracy = values[1][i];
        for (int l = 0; l < depth; l++) {
            out.weightNorms[l] = values[2 + l][i];
            out.gradientNorms[l] = values[2 + depth + l][i];
        }
        out.validationCost = values[2 + 2 * depth][i];
        out.validationAccuracy = values[3 + 2 * depth][i];
    }

    double cost(int i) {
        return values[0][i];
    }
}
