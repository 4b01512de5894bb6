package io.trainscope.nn;

/**
 * Full-batch gradient descent on one network and dataset. Each {@link #step} is, in order:
 * forward on the training data (cost, accuracy), ‖W‖, backward (dW, db), ‖dW‖, optional validation
 * forward, then the update {@code W -= lr·dW}. Not thread-safe: one thread trains.
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
        network.weightNorms(out.weightNorms);
        if (validation != null) {
            out.validationCost = network.forward(validationPass, validation);
            out.validationAccuracy = network.accuracy(validationPass, validation);
        }
        network.backward(trainPass, train);
        network.gradientNorms(out.gradientNorms);
        out.learningRate = learningRate;
        network.step(learningRate);
        iteration++;
    }

    /** A fresh metrics holder shaped for this network. */
    public StepMetrics newMetrics() {
        return new StepMetrics(network.depth());
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
     * @throws IllegalArgumentException unless the rate is finite and > 0
     */
    public void learningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("a learning rate must be finite and > 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }
}
