package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

import java.util.Arrays;

/**
 * One stored iteration, immutable: what {@link StepMetrics} measured, copied. NaN and infinities are kept
 * bit for bit; {@code validationCost} and {@code validationAccuracy} are NaN when the run holds nothing out.
 */
public record Point(long iteration, double cost, double accuracy, double[] weightNorms, double[] gradientNorms,
                    double validationCost, double validationAccuracy) {

    public Point {
        if (weightNorms.length != gradientNorms.length) {
            throw new IllegalArgumentException("a point needs as many weight norms as gradient norms, got "
                    + weightNorms.length + " and " + gradientNorms.length);
        }
        weightNorms = weightNorms.clone();
        gradientNorms = gradientNorms.clone();
    }

    public static Point of(StepMetrics m) {
        return new Point(m.iteration, m.cost, m.accuracy, m.weightNorms, m.gradientNorms,
                m.validationCost, m.validationAccuracy);
    }

    /** The number of layers L, that is the length of each norm array. */
    public int depth() {
        return weightNorms.length;
    }

    @Override
    public double[] weightNorms() {
        return weightNorms.clone();
    }

    @Override
    public double[] gradientNorms() {
        return gradientNorms.clone();
    }

    /** Fills {@code out}, whose depth must match. */
    public void copyTo(StepMetrics out) {
        out.iteration = iteration;
        out.cost = cost;
        out.accuracy = accuracy;
        System.arraycopy(weightNorms, 0, out.weightNorms, 0, weightNorms.length);
        System.arraycopy(gradientNorms, 0, out.gradientNorms, 0, gradientNorms.length);
        out.validationCost = validationCost;
        out.validationAccuracy = validationAccuracy;
    }

    /** Equal when every value has the same bits, so that NaN equals NaN (the record default compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Point p && iteration == p.iteration
                && Double.doubleToRawLongBits(cost) == Double.doubleToRawLongBits(p.cost)
                && Double.doubleToRawLongBits(accuracy) == Double.doubleToRawLongBits(p.accuracy)
                && Arrays.equals(weightNorms, p.weightNorms) && Arrays.equals(gradientNorms, p.gradientNorms)
                && Double.doubleToRawLongBits(validationCost) == Double.doubleToRawLongBits(p.validationCost)
                && Double.doubleToRawLongBits(validationAccuracy) == Double.doubleToRawLongBits(p.validationAccuracy);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(iteration) * 31 + Double.hashCode(cost);
    }

    @Override
    public String toString() {
        return "Point[" + iteration + ", cost=" + cost + ", accuracy=" + accuracy + ", weightNorms="
                + Arrays.toString(weightNorms) + ", gradientNorms=" + Arrays.toString(gradientNorms)
                + ", validation=" + validationCost + "/" + validationAccuracy + "]";
    }
}
