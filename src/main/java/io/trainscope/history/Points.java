package io.trainscope.history;

import io.trainscope.nn.StepMetrics;

import java.util.Arrays;

/**
 * A batch of metrics points stored by column: one primitive array per field, the per-layer norms flattened
 * ({@code weightNorms[p * depth + l]}). A thousand points cost a handful of arrays, not a thousand objects.
 *
 * <p>Filled by one thread; once handed to another (on the event bus, as a history read) it is not changed
 * again, so readers need no locking.
 */
public final class Points {

    private final int depth;
    private int size;
    private long[] iteration;
    private double[] cost;
    private double[] accuracy;
    private double[] validationCost;
    private double[] validationAccuracy;
    private double[] weightNorms;
    private double[] gradientNorms;

    public Points(int depth, int capacity) {
        this.depth = depth;
        int c = Math.max(capacity, 1);
        iteration = new long[c];
        cost = new double[c];
        accuracy = new double[c];
        validationCost = new double[c];
        validationAccuracy = new double[c];
        weightNorms = new double[c * depth];
        gradientNorms = new double[c * depth];
    }

    public int depth() {
        return depth;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Empties the batch, keeping its arrays for reuse. */
    public void clear() {
        size = 0;
    }

    public void add(StepMetrics m) {
        int p = grow();
        iteration[p] = m.iteration;
        cost[p] = m.cost;
        accuracy[p] = m.accuracy;
        validationCost[p] = m.validationCost;
        validationAccuracy[p] = m.validationAccuracy;
        System.arraycopy(m.weightNorms, 0, weightNorms, p * depth, depth);
        System.arraycopy(m.gradientNorms, 0, gradientNorms, p * depth, depth);
    }

    /** Appends point {@code p} of {@code other}, which must have the same depth. */
    public void add(Points other, int p) {
        int q = grow();
        iteration[q] = other.iteration[p];
        cost[q] = other.cost[p];
        accuracy[q] = other.accuracy[p];
        validationCost[q] = other.validationCost[p];
        validationAccuracy[q] = other.validationAccuracy[p];
        System.arraycopy(other.weightNorms, p * depth, weightNorms, q * depth, depth);
        System.arraycopy(other.gradientNorms, p * depth, gradientNorms, q * depth, depth);
    }

    private int grow() {
        if (size == iteration.length) {
            int c = iteration.length * 2;
            iteration = Arrays.copyOf(iteration, c);
            cost = Arrays.copyOf(cost, c);
            accuracy = Arrays.copyOf(accuracy, c);
            validationCost = Arrays.copyOf(validationCost, c);
            validationAccuracy = Arrays.copyOf(validationAccuracy, c);
            weightNorms = Arrays.copyOf(weightNorms, c * depth);
            gradientNorms = Arrays.copyOf(gradientNorms, c * depth);
        }
        return size++;
    }

    public long iteration(int p) {
        return iteration[p];
    }

    public double cost(int p) {
        return cost[p];
    }

    public double accuracy(int p) {
        return accuracy[p];
    }

    public double validationCost(int p) {
        return validationCost[p];
    }

    public double validationAccuracy(int p) {
        return validationAccuracy[p];
    }

    /** ‖W_(l+1)‖ at point {@code p}. */
    public double weightNorm(int p, int l) {
        return weightNorms[p * depth + l];
    }

    /** ‖dW_(l+1)‖ at point {@code p}. */
    public double gradientNorm(int p, int l) {
        return gradientNorms[p * depth + l];
    }

    /** Copies the norms of point {@code p} into caller-owned arrays of length {@link #depth()}. */
    public void norms(int p, double[] weightOut, double[] gradientOut) {
        System.arraycopy(weightNorms, p * depth, weightOut, 0, depth);
        System.arraycopy(gradientNorms, p * depth, gradientOut, 0, depth);
    }

    /** The first iteration held, or -1 when empty. */
    public long firstIteration() {
        return size == 0 ? -1 : iteration[0];
    }

    /** The last iteration held, or -1 when empty. */
    public long lastIteration() {
        return size == 0 ? -1 : iteration[size - 1];
    }
}
