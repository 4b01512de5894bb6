package io.trainscope.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a network view draws of a network: which units of each layer it shows (inputs, hidden layers, the output)
 * and the weights and biases between them. A small network is shown whole. A layer of more than
 * {@link #unitsShown} units shows that many, the strongest: those whose weights in and out add up to the largest
 * {@code Σ|w|}, in index order; every weight between shown units is kept, so the view stays bounded (at most
 * {@link #MAX_WEIGHTS} weights) and each shown unit keeps its strongest connections to the units shown.
 *
 * @param sizes   the network's layer sizes {@code [n_x, h1, …, 1]}
 * @param units   for each layer of units (0 the inputs, L the output), the indices shown, increasing
 * @param weights for each weight layer l (1…L), {@code units[l].length × units[l-1].length} weights, row-major:
 *                row r is shown unit {@code units[l][r]}, column c is its input from {@code units[l-1][c]}
 * @param biases  for each weight layer, the biases of its shown units
 */
public record Wiring(int[] sizes, int[][] units, List<double[]> weights, List<double[]> biases) {

    /** Units shown per layer, for networks of up to 16 weight layers. */
    public static final int MAX_UNITS = 64;
    /** Weights shown in all: 16 layers of 64 × 64; deeper networks show fewer units a layer. */
    public static final int MAX_WEIGHTS = 16 * MAX_UNITS * MAX_UNITS;

    /** Units shown in each layer of a network of {@code depth} weight layers. */
    public static int unitsShown(int depth) {
        return (int) Math.min(MAX_UNITS, Math.floor(Math.sqrt((double) MAX_WEIGHTS / depth)));
    }

    /** Whether some layer shows fewer units than it has. */
    public boolean reduced() {
        for (int k = 0; k < sizes.length; k++) {
            if (units[k].length < sizes[k]) {
                return true;
            }
        }
        return false;
    }

    /** The network's parameters as they are now, copied; between steps, on the thread that trains it. */
    public static Wiring of(Network network) {
        int[] sizes = network.sizes();
        List<Layer> layers = network.parameters();
        int shown = unitsShown(layers.size());
        int[][] units = new int[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            units[k] = sizes[k] <= shown ? all(sizes[k]) : strongest(layers, k, sizes[k], shown);
        }
        List<double[]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int[] rows = units[l + 1];
            int[] cols = units[l];
            double[] w = new double[rows.length * cols.length];
            double[] b = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                int row = rows[r] * layer.in;
                for (int c = 0; c < cols.length; c++) {
                    w[r * cols.length + c] = layer.w[row + cols[c]];
                }
                b[r] = layer.b[rows[r]];
            }
            weights.add(w);
            biases.add(b);
        }
        return new Wiring(sizes, units, List.copyOf(weights), List.copyOf(biases));
    }

    private static int[] all(int n) {
        int[] indices = new int[n];
        Arrays.setAll(indices, i -> i);
        return indices;
    }

    /** The {@code shown} units of layer {@code k} with the largest Σ|w| over their weights in and out. */
    private static int[] strongest(List<Layer> layers, int k, int size, int shown) {
        double[] strength = new double[size];
        if (k > 0) {
            Layer in = layers.get(k - 1);
            for (int u = 0; u < size; u++) {
                for (int c = 0, row = u * in.in; c < in.in; c++) {
                    strength[u] += Math.abs(in.w[row + c]);
                }
            }
        }
        if (k < layers.size()) {
            Layer out = layers.get(k);
            for (int r = 0; r < out.out; r++) {
                for (int u = 0, row = r * out.in; u < size; u++) {
                    strength[u] += Math.abs(out.w[row + u]);
                }
            }
        }
        Integer[] order = new Integer[size];
        Arrays.setAll(order, i -> i);
        // Strongest first, ties to the lower index; NaN (a failed run's weights) counts as strongest.
        Arrays.sort(order, (a, b) -> {
            int stronger = Double.compare(strength[b], strength[a]);
            return stronger != 0 ? stronger : Integer.compare(a, b);
        });
        int[] chosen = new int[shown];
        for (int i = 0; i < shown; i++) {
            chosen[i] = order[i];
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
