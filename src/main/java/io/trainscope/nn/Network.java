package io.trainscope.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed's deep network: dense ReLU hidden layers and one sigmoid output unit, trained on binary
 * cross-entropy. Any number of hidden layers, including none (logistic regression).
 *
 * <p>The loss is computed from the output layer's Z, never from the sigmoid's output: the seed's
 * {@code log(1 - AL)} turns into {@code -inf} once AL rounds to 1. With {@code softplus(z) = log(1 + e^z)},
 * {@code -[y·log σ(z) + (1-y)·log(1-σ(z))] = softplus(z) - y·z}, evaluated as
 * {@code max(z,0) - y·z + log1p(e^-|z|)}, finite for every finite z. Its derivative is {@code σ(z) - y},
 * which is the seed's {@code dAL * sigmoid_derivative(ZL)} without the cancellation.
 */
public final class Network {

    private final int[] sizes;
    private final Layer[] layers;

    private Network(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a network needs at least [inputs, 1], got " + Arrays.toString(sizes));
        }
        for (int size : sizes) {
            if (size < 1) {
                throw new IllegalArgumentException("layer sizes must be at least 1, got " + Arrays.toString(sizes));
            }
        }
        if (sizes[sizes.length - 1] != 1) {
            throw new IllegalArgumentException("the output layer has one sigmoid unit, got " + Arrays.toString(sizes));
        }
        this.sizes = sizes.clone();
        this.layers = new Layer[sizes.length - 1];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer(sizes[l], sizes[l + 1], l < layers.length - 1);
        }
    }

    /** A network of the given sizes {@code [n_x, h1, …, 1]}, weights drawn by {@code init}, biases zero. */
    public static Network create(int[] sizes, Init init, long seed) {
        Network network = new Network(sizes);
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : network.layers) {
            init.fill(layer.w, layer.out, layer.in, random);
        }
        return network;
    }

    /**
     * A network with given parameters, in the seed's shapes: {@code weights.get(l)} is W_(l+1) flattened
     * row-major ({@code n_(l+1) × n_l}), {@code biases.get(l)} is b_(l+1).
     */
    public static Network of(int[] sizes, List<double[]> weights, List<double[]> biases) {
        Network network = new Network(sizes);
        if (weights.size() != network.layers.length || biases.size() != network.layers.length) {
            throw new IllegalArgumentException("need " + network.layers.length + " weight matrices and bias vectors, got "
                    + weights.size() + " and " + biases.size());
        }
        for (int l = 0; l < network.layers.length; l++) {
            Layer layer = network.layers[l];
            if (weights.get(l).length != layer.w.length || biases.get(l).length != layer.b.length) {
                throw new IllegalArgumentException("W" + (l + 1) + " must be " + layer.out + "×" + layer.in
                        + " and b" + (l + 1) + " " + layer.out + "×1");
            }
            System.arraycopy(weights.get(l), 0, layer.w, 0, layer.w.length);
            System.arraycopy(biases.get(l), 0, layer.b, 0, layer.b.length);
        }
        return network;
    }

    /**
     * A network with the same sizes and parameters, sharing nothing with this one: to check or inspect it on
     * another thread while this one trains on. Gradients are not copied.
     */
    public Network copy() {
        Network copy = new Network(sizes);
        for (int l = 0; l < layers.length; l++) {
            System.arraycopy(layers[l].w, 0, copy.layers[l].w, 0, layers[l].w.length);
            System.arraycopy(layers[l].b, 0, copy.layers[l].b, 0, layers[l].b.length);
        }
        return copy;
    }

    /** The layer sizes {@code [n_x, h1, …, 1]}. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The dense layers W1…WL, in order; their arrays are live. */
    public List<Layer> parameters() {
        return List.of(layers);
    }

    /** Weights and biases, all layers together. */
    public long parameterCount() {
        long n = 0;
        for (Layer layer : layers) {
            n += layer.w.length + layer.b.length;
        }
        return n;
    }

    /** Number of weight layers, L. */
    public int depth() {
        return layers.length;
    }

    /**
     * The multiply-adds of the largest matrix product of a pass over {@code samples} examples: each layer's
     * forward and backward products are {@code out·in·samples} each.
     */
    public long largestProduct(int samples) {
        long largest = 0;
        for (Layer layer : layers) {
            largest = Math.max(largest, (long) layer.out * layer.in * samples);
        }
        return largest;
    }

    /** Buffers for forward and backward passes over {@code samples} examples; reuse it across iterations. */
    public Pass pass(int samples) {
        return new Pass(sizes, samples);
    }

    /**
     * Forward pass over {@code data}; returns the mean binary cross-entropy and leaves the output layer's
     * Z in the pass (for {@link #accuracy} and {@link #backward}).
     */
    public double forward(Pass pass, Dataset data) {
        checkPass(pass, data);
        int m = data.samples();
        double[] previous = data.x();
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(previous, pass.activations[l], m);
            previous = pass.activations[l];
        }
        double[] z = pass.activations[layers.length - 1];
        double[] y = data.y();
        double sum = 0.0;
        for (int j = 0; j < m; j++) {
            double zj = z[j];
            sum += Math.max(zj, 0.0) - y[j] * zj + Math.log1p(Math.exp(-Math.abs(zj)));
        }
        return sum / m;
    }

    /**
     * The network's outputs {@code σ(z)} for the {@code pass}'s number of examples in {@code x} (features × m,
     * row-major, one column per example), into {@code out[offset, offset + m)}. Uses the pass's buffers, touches
     * no parameter and no gradient.
     */
    public void outputs(Pass pass, double[] x, double[] out, int offset) {
        int m = pass.samples;
        if (x.length != sizes[0] * m || offset < 0 || offset + m > out.length) {
            throw new IllegalArgumentException("need " + sizes[0] + "×" + m + " inputs and room for " + m
                    + " outputs at " + offset + ", got " + x.length + " inputs and " + out.length + " places");
        }
        double[] previous = x;
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(previous, pass.activations[l], m);
            previous = pass.activations[l];
        }
        for (int j = 0; j < m; j++) {
            out[offset + j] = sigmoid(previous[j]);
        }
    }

    /** Fraction of examples whose prediction {@code σ(z) > 0.5} matches the label, after {@link #forward}. */
    public double accuracy(Pass pass, Dataset data) {
        double[] z = pass.activations[layers.length - 1];
        double[] y = data.y();
        int correct = 0;
        for (int j = 0; j < data.samples(); j++) {
            if ((z[j] > 0) == (y[j] > 0.5)) {
                correct++;
            }
        }
        return (double) correct / data.samples();
    }

    /** Backpropagation after {@link #forward} on the same data: fills every layer's dW and db. */
    public void backward(Pass pass, Dataset data) {
        int m = data.samples();
        int last = layers.length - 1;
        double[] dz = pass.gradients[last];
        double[] z = pass.activations[last];
        double[] y = data.y();
        for (int j = 0; j < m; j++) {
            dz[j] = sigmoid(z[j]) - y[j];
        }
        for (int l = last; l >= 0; l--) {
            double[] previous = l == 0 ? data.x() : pass.activations[l - 1];
            double[] dzPrevious = l == 0 ? null : pass.gradients[l - 1];
            layers[l].backward(pass.gradients[l], previous, dzPrevious, m);
        }
    }

    /** One gradient-descent update of every layer with the gradients of the last {@link #backward}. */
    public void step(double learningRate) {
        for (Layer layer : layers) {
            layer.step(learningRate);
        }
    }

    /** ‖W_l‖ (Frobenius) of each layer into {@code out}. */
    public void weightNorms(double[] out) {
        for (int l = 0; l < layers.length; l++) {
            out[l] = layers[l].weightNorm();
        }
    }

    /**
     * For each hidden layer, into {@code out}, the fraction of its ReLU units that are dead on this pass's data:
     * their pre-activation is ≤ 0 for every example, so their output is 0 throughout and they pass no gradient.
     * After {@link #forward}; read from the activations, since {@code relu(z) > 0} exactly when {@code z > 0}.
     */
    public void deadFractions(Pass pass, double[] out) {
        int m = pass.samples;
        for (int l = 0; l < layers.length - 1; l++) {
            double[] a = pass.activations[l];
            int units = layers[l].out;
            int dead = 0;
            for (int i = 0; i < units; i++) {
                if (allZero(a, i * m, i * m + m)) {
                    dead++;
                }
            }
            out[l] = (double) dead / units;
        }
    }

    /**
     * Whether the ReLU outputs {@code a[from, to)} are all zero. A live unit usually shows it within its first few
     * examples, so the search stops early; on a dead one it reads the row once (InsideColumnsBench: 0.1% of a
     * step on speed.py's medium network as it trains, 3.7% with every unit dead; an OR of the bits, which the JIT
     * vectorises, took 1.4% and 2.8%).
     */
    private static boolean allZero(double[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            if (a[j] > 0) {
                return false;
            }
        }
        return true;
    }

    /** ‖dW_l‖ (Frobenius) of each layer's last gradient into {@code out}. */
    public void gradientNorms(double[] out) {
        for (int l = 0; l < layers.length; l++) {
            out[l] = layers[l].gradientNorm();
        }
    }

    static double sigmoid(double z) {
        // Both branches avoid exp of a large positive number.
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    private void checkPass(Pass pass, Dataset data) {
        if (data.features() != sizes[0]) {
            throw new IllegalArgumentException("the network takes " + sizes[0] + " features, the data has " + data.features());
        }
        if (pass.samples != data.samples() || pass.activations.length != layers.length) {
            throw new IllegalArgumentException("this pass was made for " + pass.samples + " samples, the data has " + data.samples());
        }
    }

    /**
     * Per-pass buffers: each layer's activations (the output layer's Z for the last) and each layer's dZ.
     * Made once per dataset; a pass over the same data allocates nothing.
     */
    public static final class Pass {
        final int samples;
        final double[][] activations;
        final double[][] gradients;

        Pass(int[] sizes, int samples) {
            this.samples = samples;
            this.activations = new double[sizes.length - 1][];
            this.gradients = new double[sizes.length - 1][];
            for (int l = 1; l < sizes.length; l++) {
                activations[l - 1] = new double[sizes[l] * samples];
                gradients[l - 1] = new double[sizes[l] * samples];
            }
        }
    }
}
