package io.trainscope.spec;

import io.trainscope.nn.Init;

import java.util.Arrays;
import java.util.List;

/**
 * A run, as a user asked for it (CONTRACT.md, "Run spec"), checked and immutable. Made by {@link SpecParser};
 * the engine receives this record, never JSON.
 *
 * @param layers            {@code [n_x, h1, …, 1]}
 * @param initialParameters null unless given; overrides {@code init}
 * @param validationSplit   fraction of examples held out, 0 for none
 * @param name              a display name, null when not given
 */
public record RunSpec(int[] layers, double learningRate, long iterations, Init init, long seed, DataSpec data,
                      Parameters initialParameters, double validationSplit, String name) {

    public static final Init DEFAULT_INIT = Init.HE;
    public static final long DEFAULT_SEED = 1;

    public RunSpec {
        layers = layers.clone();
    }

    /** A run without a display name. */
    public RunSpec(int[] layers, double learningRate, long iterations, Init init, long seed, DataSpec data,
                   Parameters initialParameters, double validationSplit) {
        this(layers, learningRate, iterations, init, seed, data, initialParameters, validationSplit, null);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** Weight layers, L: one per entry of {@code layers} after the first. */
    public int depth() {
        return layers.length - 1;
    }

    /** A short human summary, such as {@code [2,8,8,1] xor lr=0.1 he}. */
    public String describe() {
        return Arrays.toString(layers).replace(" ", "") + " " + data.describe() + " lr=" + learningRate + " "
                + (initialParameters != null ? "given" : init.name().toLowerCase());
    }

    /** Weights and biases in the seed's shapes, flattened row-major, W1…WL and b1…bL. */
    public record Parameters(List<double[]> weights, List<double[]> biases) {
        public Parameters {
            weights = List.copyOf(weights);
            biases = List.copyOf(biases);
        }
    }
}
