package io.trainscope.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Compares backpropagation's gradients with central finite differences of the cost,
 * {@code (J(θ+ε) − J(θ−ε)) / 2ε}, parameter by parameter. The error of each tensor (every W_l and b_l) is
 * {@code ‖g − n‖ / (‖g‖ + ‖n‖)}, the measure of Ng's Deep Learning course, where below 1e-7 means correct:
 * a per-element ratio would be dominated by round-off on elements whose gradient is nearly zero.
 *
 * <p>Each parameter checked costs two forward passes, so a large network is checked on a sample
 * ({@link Sampling}): at most so many parameters of each tensor, chosen at random but reproducibly, over at most
 * so many of the examples (spread evenly, {@link Dataset#spread}); backprop's gradient is computed over the same
 * examples, so the comparison is exact in kind, only narrower. The check runs forward and backward passes on the
 * network it is given and overwrites its gradients: give it a {@link Network#copy} of a network that trains.
 *
 * <p>ReLU has a kink at 0: when nudging a parameter by ±ε moves some example's pre-activation across 0, the
 * difference straddles the kink and is wrong by up to the whole jump in slope (CS231n, "Gradient checks: kinks in
 * the objective"). On a network of a few hundred units over a few hundred examples that happens to a parameter or
 * two in most checks, and one such parameter alone gave a healthy network a relative error of 1e-6. So each
 * difference's forward passes are watched for units that switch on or off, and a parameter whose difference
 * crossed a kink is left out of its tensor's error and counted in {@link TensorError#kinks()}.
 */
public final class GradientCheck {

    /** Step for the differences: truncation error O(ε²) ≈ 1e-10, round-off ≈ 1e-16/ε ≈ 1e-11. */
    public static final double EPSILON = 1e-5;
    /** Below this relative error backprop agrees with the differences. */
    public static final double THRESHOLD = 1e-7;

    /**
     * How much of a network one check compares.
     *
     * @param maxPerTensor parameters of each W_l and b_l compared at most
     * @param maxExamples  examples the cost is taken over at most
     * @param maxWork      multiply-adds the forward passes of the differences may take in all; past it fewer
     *                     parameters a tensor are compared (one at least)
     * @param seed         which parameters are drawn
     */
    public record Sampling(int maxPerTensor, int maxExamples, long maxWork, long seed) {

        /** Every parameter, every example. */
        public static final Sampling ALL = new Sampling(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, 0);
        /**
         * 64 parameters a tensor over 256 examples, within 2^33 multiply-adds (a few seconds of one core): the
         * demo's [2,16,16,8,1] in a few milliseconds, [784,256,128,1] with 11 parameters a tensor.
         */
        public static final Sampling BOUNDED = new Sampling(64, 256, 1L << 33, 1);

        public Sampling {
            if (maxPerTensor < 1 || maxExamples < 1 || maxWork < 1) {
                throw new IllegalArgumentException("a check compares at least one parameter on one example");
            }
        }
    }

    /**
     * One tensor: the relative error over the {@code checked} of its {@code size} parameters compared, and how many
     * more were drawn but left out because their difference crossed a ReLU kink.
     */
    public record TensorError(double error, int checked, int kinks, int size) {
    }

    /** One weight layer: its W and its b. */
    public record LayerErrors(TensorError weights, TensorError biases) {
    }

    /**
     * @param maxRelativeError the largest tensor error
     * @param examples         examples the cost was taken over
     * @param samples          examples the data has
     */
    public record Result(double maxRelativeError, List<LayerErrors> layers, int examples, int samples) {

        /** Whether fewer than every parameter, or fewer than every example, were compared. */
        public boolean sampled() {
            if (examples < samples) {
                return true;
            }
            for (LayerErrors layer : layers) {
                if (layer.weights().checked() + layer.weights().kinks() < layer.weights().size()
                        || layer.biases().checked() + layer.biases().kinks() < layer.biases().size()) {
                    return true;
                }
            }
            return false;
        }
    }

    private GradientCheck() {
    }

    /**
     * The largest relative error {@code ‖g − n‖ / (‖g‖ + ‖n‖)} over the network's weight and bias tensors,
     * every parameter compared on every example. Leaves the parameters as they were.
     */
    public static double maxRelativeError(Network network, Dataset data) {
        return check(network, data, Sampling.ALL).maxRelativeError();
    }

    /** Each tensor's error within {@code sampling}. Leaves the parameters as they were, not the gradients. */
    public static Result check(Network network, Dataset data, Sampling sampling) {
        return check(network, data, sampling, layers -> { });
    }

    /**
     * As {@link #check(Network, Dataset, Sampling)}, with {@code afterBackprop} given the layers once backprop has
     * filled their gradients and before they are compared: the tests' way to break backprop on purpose.
     */
    static Result check(Network network, Dataset data, Sampling sampling, Consumer<List<Layer>> afterBackprop) {
        Dataset examples = data.spread(sampling.maxExamples());
        Network.Pass pass = network.pass(examples.samples());
        network.forward(pass, examples);
        network.backward(pass, examples);
        List<Layer> layers = network.parameters();
        afterBackprop.accept(layers);
        Kinks kinks = new Kinks(pass);
        long forwardWork = Math.max(1, network.parameterCount() * examples.samples());
        long tensors = 2L * layers.size();
        int perTensor = (int) Math.max(1, Math.min(sampling.maxPerTensor(),
                sampling.maxWork() / 2 / forwardWork / tensors));
        double worst = 0.0;
        List<LayerErrors> errors = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            double[] dw = layer.dw.clone();
            double[] db = layer.db.clone();
            SplittableRandom random = new SplittableRandom(sampling.seed() * 1_000_003 + l);
            TensorError w = compare(network, pass, kinks, examples, layer.w, dw, chosen(layer.w.length, perTensor, random));
            TensorError b = compare(network, pass, kinks, examples, layer.b, db, chosen(layer.b.length, perTensor, random));
            worst = Math.max(worst, Math.max(w.error(), b.error()));
            errors.add(new LayerErrors(w, b));
        }
        return new Result(worst, List.copyOf(errors), examples.samples(), data.samples());
    }

    /** {@code k} distinct indices below {@code n}, increasing (Floyd's algorithm: O(k) memory whatever n). */
    private static int[] chosen(int n, int k, SplittableRandom random) {
        if (k >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        TreeSet<Integer> picked = new TreeSet<>();
        for (int j = n - k; j < n; j++) {
            int t = random.nextInt(j + 1);
            picked.add(picked.contains(t) ? j : t);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Which ReLU units are on for which example in the unperturbed forward pass. */
    private static final class Kinks {
        private final Network.Pass pass;
        private final boolean[][] on;

        Kinks(Network.Pass pass) {
            this.pass = pass;
            this.on = new boolean[pass.activations.length - 1][];
            for (int l = 0; l < on.length; l++) {
                double[] a = pass.activations[l];
                on[l] = new boolean[a.length];
                for (int j = 0; j < a.length; j++) {
                    on[l][j] = a[j] > 0;
                }
            }
        }

        /** Whether the pass's last forward switched some unit on or off. */
        boolean crossed() {
            for (int l = 0; l < on.length; l++) {
                double[] a = pass.activations[l];
                boolean[] was = on[l];
                for (int j = 0; j < a.length; j++) {
                    if ((a[j] > 0) != was[j]) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static TensorError compare(Network network, Network.Pass pass, Kinks kinks, Dataset data, double[] theta,
                                       double[] analytic, int[] indices) {
        double difference = 0.0;
        double numericNorm = 0.0;
        double analyticNorm = 0.0;
        int crossed = 0;
        for (int i : indices) {
            double saved = theta[i];
            theta[i] = saved + EPSILON;
            double plus = network.forward(pass, data);
            boolean kink = kinks.crossed();
            theta[i] = saved - EPSILON;
            double minus = network.forward(pass, data);
            kink |= kinks.crossed();
            theta[i] = saved;
            if (kink) {
                crossed++;
                continue;
            }
            double numeric = (plus - minus) / (2 * EPSILON);
            difference += (numeric - analytic[i]) * (numeric - analytic[i]);
            numericNorm += numeric * numeric;
            analyticNorm += analytic[i] * analytic[i];
        }
        double scale = Math.sqrt(numericNorm) + Math.sqrt(analyticNorm);
        double error = scale == 0 ? 0.0 : Math.sqrt(difference) / scale;
        return new TensorError(error, indices.length - crossed, crossed, theta.length);
    }
}
