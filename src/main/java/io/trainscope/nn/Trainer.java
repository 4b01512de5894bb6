package io.trainscope.nn;

import java.util.List;

/**
 * Full-batch gradient descent on one network and dataset. Each {@link #step} is, in order:
 * forward on the training data (cost, accuracy, dead ReLU units), ‖W‖, optional validation forward, backward
 * (dW, db), ‖dW‖ and the update ratios, then the update {@code W -= lr·dW}. Not thread-safe: one thread trains.
 */
public final class Trainer {

    private final Network network;
    private final Dataset train;
    private final Dataset validation;
    private final Network.Pass trainPass;
    private final Network.Pass validationPass;
    private double learningRate;
    private long iteration;

    /** {@code validation} may be null. */
    public Trainer(Network network, Dataset train, Dataset validation, double learningRate) {
        this.network = network;
        this.train = train;
        this.validation = validation;
        this.trainPass = network.pass(train.samples());
        this.validationPass = validation == null ? null : network.pass(validation.samples());
        this.learningRate = learningRate;
    }

    /** Runs one iteration and describes it in {@code out}; allocates nothing. */
    public void step(StepMetrics out) {
        out.iteration = iteration;
        out.cost = network.forward(trainPass, train);
        out.accuracy = network.accuracy(trainPass, train);
        network.deadFractions(trainPass, out.deadFractions);
        network.weightNorms(out.weightNorms);
        if (validation != null) {
            out.validationCost = network.forward(validationPass, validation);
            out.validationAccuracy = network.accuracy(validationPass, validation);
        }
        network.backward(trainPass, train);
        network.gradientNorms(out.gradientNorms);
        out.learningRate = learningRate;
        for (int l = 0; l < out.updateRatios.length; l++) {
            // A zero weight matrix has no ratio to speak of: NaN, written as null, rather than infinity.
            out.updateRatios[l] = out.weightNorms[l] > 0 ? learningRate * out.gradientNorms[l] / out.weightNorms[l]
                    : Double.NaN;
        }
        network.step(learningRate);
        iteration++;
    }

    /**
     * What computes this trainer's matrix products, for people ({@link Kernels#description(long)}); loads the
     * native library if they need it.
     */
    public String kernels() {
        int samples = Math.max(train.samples(), validation == null ? 0 : validation.samples());
        return Kernels.description(network.largestProduct(samples));
    }

    /** A fresh metrics holder shaped for this network. */
    public StepMetrics newMetrics() {
        return new StepMetrics(network.depth());
    }

    /**
     * Each layer's histograms ({@link LayerHistograms}) as the trainer stands between steps: W as the last update
     * left it, that update's dW, and the activations of its forward pass. Reads the arrays where they are, copies
     * none of them; allocates only the histograms. Between steps, on the thread that trains.
     */
    public List<LayerHistograms> histograms(int bins) {
        List<Layer> layers = network.parameters();
        LayerHistograms[] out = new LayerHistograms[layers.size()];
        for (int l = 0; l < out.length; l++) {
            Layer layer = layers.get(l);
            Histogram weights = Histogram.of(layer.w, 0, layer.w.length, bins);
            if (iteration == 0) {
                out[l] = new LayerHistograms(weights, null, null);
                continue;
            }
            double[] a = trainPass.activations[l];
            boolean output = l == out.length - 1;
            out[l] = new LayerHistograms(weights, Histogram.of(layer.dw, 0, layer.dw.length, bins),
                    output ? Histogram.ofSigmoid(a, 0, a.length, bins) : Histogram.of(a, 0, a.length, bins));
        }
        return List.of(out);
    }

    /** The examples it trains on. */
    public Dataset train() {
        return train;
    }

    /** The held-out examples, or null. */
    public Dataset validation() {
        return validation;
    }

    /** The number of iterations run so far; the next step's iteration index. */
    public long iteration() {
        return iteration;
    }

    public Network network() {
        return network;
    }

    public double learningRate() {
        return learningRate;
    }

    /**
     * The rate of the next step's update and those after it; between steps, on the thread that trains (or
     * handed over with the trainer to the next one). {@link #step} reads a plain field: no lock, no check.
     *
     * @throws IllegalArgumentException unless {@link LearningRate#valid}
     */
    public void learningRate(double learningRate) {
        this.learningRate = LearningRate.check(learningRate);
    }
}
