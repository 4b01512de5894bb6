package io.trainscope.nn;

/**
 * What one weight layer looked like at a moment of training, as three {@link Histogram}s: its weights W, the
 * gradient dW of the last iteration, and its activations over the training examples in that iteration's forward
 * pass (ReLU outputs for a hidden layer, σ(Z) for the output layer). {@code gradients} and {@code activations} are
 * null before the first iteration.
 */
public record LayerHistograms(Histogram weights, Histogram gradients, Histogram activations) {
}
