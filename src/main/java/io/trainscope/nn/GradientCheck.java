package io.trainscope.nn;

/**
 * Compares backpropagation's gradients with central finite differences of the cost,
 * {@code (J(θ+ε) − J(θ−ε)) / 2ε}, parameter by parameter. The error of each tensor (every W_l and b_l) is
 * {@code ‖g − n‖ / (‖g‖ + ‖n‖)}, the measure of Ng's Deep Learning course, where below 1e-7 means correct:
 * a per-element ratio would be dominated by round-off on elements whose gradient is nearly zero.
 */
public final class GradientCheck {

    /** Step for the differences: truncation error O(ε²) ≈ 1e-10, round-off ≈ 1e-16/ε ≈ 1e-11. */
    public static final double EPSILON = 1e-5;

    private GradientCheck() {
    }

    /**
     * The largest relative error {@code ‖g − n‖ / (‖g‖ + ‖n‖)} over the network's weight and bias tensors,
     * between backprop's gradient g and the numerical one n. Leaves the parameters as they were.
     */
    public static double maxRelativeError(Network network, Dataset data) {
        Network.Pass pass = network.pass(data.samples());
        network.forward(pass, data);
        network.backward(pass, data);
        double worst = 0.0;
        for (Layer layer : network.parameters()) {
            double[] dw = layer.dw.clone();
            double[] db = layer.db.clone();
            worst = Math.max(worst, compare(network, pass, data, layer.w, dw));
            worst = Math.max(worst, compare(network, pass, data, layer.b, db));
        }
        return worst;
    }

    private static double compare(Network network, Network.Pass pass, Dataset data, double[] theta, double[] analytic) {
        double difference = 0.0;
        double numericNorm = 0.0;
        double analyticNorm = 0.0;
        for (int i = 0; i < theta.length; i++) {
            double saved = theta[i];
            theta[i] = saved + EPSILON;
            double plus = network.forward(pass, data);
            theta[i] = saved - EPSILON;
            double minus = network.forward(pass, data);
            theta[i] = saved;
            double numeric = (plus - minus) / (2 * EPSILON);
            difference += (numeric - analytic[i]) * (numeric - analytic[i]);
            numericNorm += numeric * numeric;
            analyticNorm += analytic[i] * analytic[i];
        }
        double scale = Math.sqrt(numericNorm) + Math.sqrt(analyticNorm);
        return scale == 0 ? 0.0 : Math.sqrt(difference) / scale;
    }
}
