package io.trainscope.nn;

/**
 * What one iteration measured, as CONTRACT.md defines it: cost, accuracy and ‖W_l‖ describe the parameters
 * as they entered the iteration, ‖dW_l‖ the gradients computed in it. Mutable and reused by
 * {@link Trainer#step} so that measuring allocates nothing; copy what must outlive the next step. Which of these
 * fields a point carries, and under what names, is {@code io.trainscope.point.Schema}'s one list.
 */
public final class StepMetrics {

    public long iteration;
    public double cost;
    public double accuracy;
    public final double[] weightNorms;
    public final double[] gradientNorms;
    /** Cost and accuracy on the held-out examples, NaN when there are none. */
    public double validationCost = Double.NaN;
    public double validationAccuracy = Double.NaN;
    /** The learning rate of this iteration's update. */
    public double learningRate = Double.NaN;

    public StepMetrics(int depth) {
        this.weightNorms = new double[depth];
        this.gradientNorms = new double[depth];
    }

    /** True when the cost and every norm are finite; a run ends as failed at the first step where not. */
    public boolean finite() {
        if (!Double.isFinite(cost)) {
            return false;
        }
        for (int l = 0; l < weightNorms.length; l++) {
            if (!Double.isFinite(weightNorms[l]) || !Double.isFinite(gradientNorms[l])) {
                return false;
            }
        }
        return true;
    }

    /** Why {@link #finite()} is false, naming the first value that is not, for the run's failure reason. */
    public String nonFiniteReason() {
        String what = "cost";
        double value = cost;
        for (int l = 0; l < weightNorms.length && Double.isFinite(value); l++) {
            what = "the norm of W" + (l + 1);
            value = weightNorms[l];
        }
        for (int l = 0; l < gradientNorms.length && Double.isFinite(value); l++) {
            what = "the norm of dW" + (l + 1);
            value = gradientNorms[l];
        }
        return what + " became " + value + " at iteration " + iteration + " (the learning rate may be too high)";
    }
}
