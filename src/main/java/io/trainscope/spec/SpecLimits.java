package io.trainscope.spec;

/**
 * Bounds on what one spec may ask for, so that a single request cannot exhaust the machine's memory or time.
 * The parser rejects a spec beyond them with the field that is too large; the server makes them configurable.
 *
 * @param maxLayerWidth  largest entry of {@code layers}, the input size included
 * @param maxDepth       most weight layers ({@code layers.length - 1})
 * @param maxIterations  most iterations of one run
 * @param maxSamples     most examples (built-in, inline or CSV rows)
 * @param maxParameters  most weights and biases in the whole network
 * @param maxActivations most values in one pass's buffers: {@code samples × (n_x + h1 + … + 1)}
 */
public record SpecLimits(int maxLayerWidth, int maxDepth, long maxIterations, int maxSamples, long maxParameters,
                         long maxActivations) {

    public static final int DEFAULT_MAX_LAYER_WIDTH = 8192;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final long DEFAULT_MAX_ITERATIONS = 100_000_000L;
    public static final int DEFAULT_MAX_SAMPLES = 1_000_000;
    /** 10 M parameters: 80 MB of weights, as much again for their gradients. */
    public static final long DEFAULT_MAX_PARAMETERS = 10_000_000L;
    /** 20 M values: 160 MB per buffer; a pass keeps activations and their gradients. */
    public static final long DEFAULT_MAX_ACTIVATIONS = 20_000_000L;

    public static final SpecLimits DEFAULT = new SpecLimits(DEFAULT_MAX_LAYER_WIDTH, DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_SAMPLES, DEFAULT_MAX_PARAMETERS, DEFAULT_MAX_ACTIVATIONS);

    public SpecLimits {
        if (maxLayerWidth < 1 || maxDepth < 1 || maxIterations < 1 || maxSamples < 1 || maxParameters < 1
                || maxActivations < 1) {
            throw new IllegalArgumentException("every limit must be at least 1");
        }
    }

    /** Values held by one pass over {@code samples} examples through a network of {@code layers}. */
    public static long activations(int[] layers, long samples) {
        long width = 0;
        for (int n : layers) {
            width += n;
        }
        return width * samples;
    }

    /** Weights and biases of a network of {@code layers}. */
    public static long parameters(int[] layers) {
        long count = 0;
        for (int l = 1; l < layers.length; l++) {
            count += (long) layers[l] * layers[l - 1] + layers[l];
        }
        return count;
    }
}
