package io.trainscope.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Init;
import io.trainscope.nn.Network;
import io.trainscope.nn.Trainer;
import io.trainscope.spec.SpecException;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small reading of the run spec (layers, learningRate, iterations, init, seed and a built-in dataset) so
 * that the server can train before the engine's SpecParser and Training join this branch; they replace it.
 */
final class InterimRunFactory implements RunFactory {

    @Override
    public Checked check(ObjectNode spec) throws SpecException {
        int[] layers = layers(spec.get("layers"));
        double learningRate = number(spec, "learningRate", Double.NaN);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new SpecException("learningRate", "must be a finite number > 0");
        }
        long iterations = (long) number(spec, "iterations", Double.NaN);
        if (!(iterations >= 1)) {
            throw new SpecException("iterations", "must be a whole number ≥ 1");
        }
        Init init = Init.HE;
        if (spec.has("init")) {
            try {
                init = Init.valueOf(spec.get("init").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SpecException("init", "must be \"he\", \"xavier\" or \"seed\"");
            }
        }
        long seed = (long) number(spec, "seed", 1);
        JsonNode data = spec.get("dataset");
        if (data == null || !data.isObject()) {
            throw new SpecException("dataset", "must be an object such as {\"name\": \"xor\"}");
        }
        String name = data.path("name").asText("");
        int samples = (int) number((ObjectNode) data, "samples", 200);
        double noise = number((ObjectNode) data, "noise", 0.1);
        long dataSeed = (long) number((ObjectNode) data, "seed", seed);
        if (samples < 1 || samples > 1_000_000) {
            throw new SpecException("dataset.samples", "must be 1..1000000");
        }
        if (!name.equals("gaussian") && layers[0] != 2) {
            throw new SpecException("layers[0]", "the " + name + " dataset has 2 features");
        }
        if (!java.util.Set.of("xor", "circle", "spiral", "gaussian").contains(name)) {
            throw new SpecException("dataset.name", "must be xor, circle, spiral or gaussian, got \"" + name + "\"");
        }
        Init chosen = init;
        return () -> {
            Dataset dataset = generate(name, layers[0], samples, noise, dataSeed);
            Network network = Network.create(layers, chosen, seed);
            String summary = java.util.Arrays.toString(layers).replace(" ", "") + " " + name + " n=" + samples
                    + " lr=" + learningRate;
            return new PreparedRun(new Trainer(network, dataset, null, learningRate), spec.deepCopy(), summary, iterations);
        };
    }

    private static int[] layers(JsonNode node) throws SpecException {
        if (node == null || !node.isArray() || node.size() < 2) {
            throw new SpecException("layers", "must be an array [n_x, h1, …, 1] of at least two sizes");
        }
        int[] layers = new int[node.size()];
        for (int i = 0; i < layers.length; i++) {
            if (!node.get(i).canConvertToInt() || node.get(i).asInt() < 1 || node.get(i).asInt() > 4096) {
                throw new SpecException("layers[" + i + "]", "must be a whole number 1..4096");
            }
            layers[i] = node.get(i).asInt();
        }
        if (layers[layers.length - 1] != 1) {
            throw new SpecException("layers[" + (layers.length - 1) + "]", "the output layer must have 1 unit");
        }
        return layers;
    }

    private static double number(ObjectNode node, String field, double absent) throws SpecException {
        JsonNode value = node.get(field);
        if (value == null) {
            if (Double.isNaN(absent)) {
                throw new SpecException(field, "is required");
            }
            return absent;
        }
        if (!value.isNumber()) {
            throw new SpecException(field, "must be a number, got " + value);
        }
        return value.doubleValue();
    }

    private static Dataset generate(String name, int features, int m, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[features * m];
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1);
            switch (name) {
                case "xor" -> y[j] = a * b > 0 ? 1 : 0;
                case "circle" -> y[j] = a * a + b * b < 0.5 ? 1 : 0;
                case "spiral" -> {
                    int label = j % 2;
                    double r = (double) (j / 2) / (m / 2.0 + 1);
                    double t = 1.75 * r * 2 * Math.PI + label * Math.PI;
                    a = r * Math.sin(t);
                    b = r * Math.cos(t);
                    y[j] = label;
                }
                case "gaussian" -> {
                    y[j] = j % 2;
                    for (int f = 0; f < features; f++) {
                        x[f * m + j] = random.nextGaussian() + (y[j] == 1 ? 1 : -1);
                    }
                    continue;
                }
                default -> throw new IllegalArgumentException(name);
            }
            x[j] = a + noise * random.nextGaussian();
            x[m + j] = b + noise * random.nextGaussian();
        }
        return new Dataset(features, m, x, y);
    }
}
